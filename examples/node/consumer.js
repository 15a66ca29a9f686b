// A service outside Go reading a tickecon world: it reads the world's event
// stream (CloudEvents 1.0 JSON), validates each event against docs/schema,
// tallies events and money per kind; given an AMOUNT, it then grants a player
// that much through the world's inbox (a game running bus.Inbox) and prints
// the world's answer.  node consumer.js NATS_URL WORLD [AMOUNT]
"use strict";
const fs = require("fs");
const path = require("path");
const { connect, createInbox, headers } = require("nats");
const Ajv2020 = require("ajv/dist/2020");

const [url, world, amount] = process.argv.slice(2);
const dir = process.env.SCHEMA_DIR || path.join(__dirname, "..", "..", "docs", "schema", "v1");
const ajv = new Ajv2020();
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
  ajv.addSchema(JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")), f);
}
const validate = ajv.getSchema("cloudevent.json");
// A kind's money fields: those its schema titles Amount or Rest (docs/events.md).
const moneyFields = (kind) => Object.entries(ajv.getSchema(`${kind}.json`).schema.properties)
  .filter(([, p]) => p.title === "Amount" || p.title === "Rest").map(([name]) => name);

async function main() {
  const nc = await connect({ servers: url });
  const js = nc.jetstream();
  const kinds = {};
  let events = 0, player, currency;
  // An ordered consumer: the whole stream from its start, in order.
  const consumer = await js.consumers.get(`TICKECON_W_EV_${world}`);
  const messages = await consumer.consume();
  for await (const m of messages) {
    const body = m.json(); // a batch, or one event (relay -max-events 1)
    for (const ev of Array.isArray(body) ? body : [body]) {
      if (!validate(ev)) throw new Error(`event ${ev.id}: ${ajv.errorsText(validate.errors)}`);
      const kind = ev.type.slice("tickecon.".length);
      const k = (kinds[kind] ??= { count: 0, money: {} });
      k.count++;
      events++;
      for (const f of moneyFields(kind)) {
        k.money[f] = (BigInt(k.money[f] ?? 0) + BigInt(ev.data[f])).toString(); // integers are strings: exact
      }
      if (kind === "WalletOpened") player ??= ev.data.Player;
      if (kind === "CurrencyDefined") currency ??= ev.data.Currency;
    }
    if (m.info.pending === 0) break; // caught up (a service would keep reading)
  }
  messages.stop();

  // The inbox takes a command as JSON (the replay log's Event form) and, with
  // Tickecon-Reply-To, answers once the tick that applied it is durable.
  let reply;
  if (amount !== undefined) {
    const replyTo = createInbox();
    const replies = nc.subscribe(replyTo, { max: 1 });
    const h = headers();
    h.set("Tickecon-Reply-To", replyTo);
    // Integers as decimal strings, as the events carry them: exact past 2^53.
    const grant = { kind: "Minted", subject: player, currency, amount: String(amount) };
    await js.publish(`tickecon.world.${world}.inbox.support`, JSON.stringify(grant), { msgID: `grant-${player}-1`, headers: h });
    for await (const m of replies) reply = m.json();
  }

  console.log(JSON.stringify({ events, kinds, player, currency, reply }));
  await nc.drain();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
