// Baseline for bench/run.sh: @slack/bolt answering /friction with an ephemeral ack, verifying
// the same signature. It stores nothing; cxos commits every request before it answers.
const { App } = require('@slack/bolt');

const port = Number(process.argv[2] || 3100);
const app = new App({
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  // A static authorize keeps Bolt off the network (with `token`, it calls auth.test first).
  authorize: async () => ({ botToken: 'xoxb-bench', botId: 'B0BENCH', botUserId: 'U0BOT' }),
});

app.command('/friction', async ({ command, ack }) => {
  await ack({ response_type: 'ephemeral', text: `Logged signal: ${command.text}` });
});

(async () => {
  await app.start(port);
  console.log(`bolt listening on ${port}`);
})();
