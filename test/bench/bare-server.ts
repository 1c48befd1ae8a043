// The intake baseline: a bare Express server that reads the same bodies as the companion
// (text, then JSON.parse) and answers the same status and shape, storing nothing.
import express from 'express';
import type { AddressInfo } from 'node:net';

const app = express();
app.post('/server/events', express.text({ type: () => true, limit: '1mb' }), (req, res) => {
  const body = JSON.parse(req.body);
  const items: { eventID?: string }[] = Array.isArray(body) ? body : [body];
  const results = items.map((e, index) => ({ index, eventID: e.eventID ?? null, status: 'accepted' }));
  res.json({ accepted: results.length, duplicate: 0, rejected: 0, results });
});
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
