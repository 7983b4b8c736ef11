// A minimal Slack Web API for the benchmark: chat.postMessage answers ok, so the outbox drains.
const http = require('http');
let ts = 1700000000;
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ ok: true, channel: 'C0', ts: `${ts++}.000100` }));
  });
}).listen(Number(process.argv[2] || 3200), '127.0.0.1');
