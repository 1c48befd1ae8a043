// `npm run shop`: the e2e tests' Lab Shop as a demo site to try the extension on by hand.
import { parseArgs } from 'node:util';
import { startShop } from './shop';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    companion: { type: 'string', default: 'http://127.0.0.1:9081' },
    loader: { type: 'boolean', default: false },
  },
});
const shop = await startShop({ port: Number(values.port), host: '127.0.0.1', companionUrl: values.companion, loader: values.loader });
console.log(`Lab Shop on ${shop.origin}/ (sends to ${values.companion}${values.loader ? ', loads GPE.min.js from it' : ''})`);
console.log('Browse it, sign in with any email and password ("remember me" makes it send UserInfo after a browser restart).');
const stop = () => void shop.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
