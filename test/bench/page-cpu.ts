// CPU time a quiet page load costs each chromium process (browser, page renderers, the
// extension's worker, GPU, network...), from /proc/PID/stat (utime+stime, 10 ms ticks), summed
// by process type over LOADS loads of the shop (300 ms apart, 2 s after the last): far steadier
// than the load-time ratio on a busy machine. `EXT=0` measures the browser without the extension.
// node --import tsx test/bench/page-cpu.ts   (after npm run build; Linux only)
import { readFileSync, readdirSync } from 'node:fs';
import setup from '../e2e/global-setup';
import { startShop } from '../e2e/site/shop';
import { launchLab } from '../helpers/browser';
import { removeDir, testCompanion } from '../helpers/companion';

const PATHS = ['/', '/products', '/products/sku-1', '/products/sku-2', '/cart', '/login'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TICK = 10; // ms a clock tick (USER_HZ 100)

function tree(root: number): number[] {
  const kids = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const st = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]);
      (kids.get(ppid) ?? kids.set(ppid, []).get(ppid)!).push(Number(d));
    } catch {}
  }
  const out: number[] = [];
  const walk = (p: number) => { out.push(p); for (const k of kids.get(p) ?? []) walk(k); };
  walk(root);
  return out;
}
function cpu(root: number): Map<string, number> {
  const by = new Map<string, number>();
  for (const pid of tree(root)) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chrom')) continue;
      const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      const t = (Number(f[11]) + Number(f[12])) * TICK;
      const type = /--type=([a-z-]+)/.exec(cmd)?.[1] ?? 'browser';
      const cls = type === 'renderer' ? (cmd.includes('--extension-process') ? 'extension' : 'page-renderer') : type === 'utility' ? `utility:${/--utility-sub-type=([\w.]+)/.exec(cmd)?.[1]?.split('.').at(-1)}` : type;
      by.set(`${cls}#${pid}`, t);
    } catch {}
  }
  return by;
}
function diff(a: Map<string, number>, b: Map<string, number>, n: number) {
  const cls = new Map<string, number>();
  for (const [k, v] of b) {
    const c = k.split('#')[0];
    cls.set(c, (cls.get(c) ?? 0) + (v - (a.get(k) ?? 0)) / n);
  }
  return Object.fromEntries([...cls].map(([k, v]) => [k, Math.round(v * 10) / 10]));
}

const loads = Number(process.env.LOADS ?? 36);
await setup();
const companion = await testCompanion();
const shop = await startShop({ companionUrl: companion.url });
const ext = process.env.EXT !== '0';
const lab = await launchLab({ extension: ext });
try {
  if (ext) await lab.ask({ type: 'settings:set', companionUrl: companion.url });
  for (const p of await lab.browser.pages()) if (p.url().includes('?helper')) await p.close();
  const page = await lab.browser.newPage();
  for (const p of PATHS) { await page.goto(shop.url(p), { waitUntil: 'load' }); await sleep(300); }
  await sleep(2000);
  const pid = lab.browser.process()!.pid!;
  const before = cpu(pid);
  const t0 = Date.now();
  for (let i = 0; i < loads; i++) { await page.goto(shop.url(PATHS[i % PATHS.length]), { waitUntil: 'load' }); await sleep(300); }
  await sleep(2000); // what follows the last load (delivery) counted too
  console.log(JSON.stringify({ loads, wallMs: Date.now() - t0, cpuMsPerLoad: diff(before, cpu(pid), loads), load: readFileSync('/proc/loadavg', 'utf8').trim() }));
} finally {
  await lab.close();
  await shop.close();
  await companion.close();
  removeDir(companion.dataDir);
}
