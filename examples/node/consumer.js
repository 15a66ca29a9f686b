// A service outside Go reading a tickecon world: it reads the world's
// event stream (CloudEvents 1.0 JSON), validates every event against
// docs/schema, tallies events and money per kind, then sends one command
// to the world's inbox and waits for the world's answer. Usage:
//
//   node consumer.js NATS_URL WORLD [GRANT_AMOUNT]
//
// It prints one JSON line: {"events": n, "kinds": {KIND: {"count": n,
// "money": {FIELD: "sum"}}}, "reply": {...}}. Integers are decimal strings
// on the stream: BigInt keeps them exact.
"use strict";
const fs = require("fs");
const path = require("path");
const { connect, createInbox, headers } = require("nats");
const Ajv2020 = require("ajv/dist/2020");

const [url, world, grant = "100"] = process.argv.slice(2);
const schemaDir = process.env.SCHEMA_DIR || path.join(__dirname, "..", "..", "docs", "schema", "v1");

// Load every schema of the version so the envelope's $refs resolve.
const ajv = new Ajv2020({ allErrors: true });
let envelope;
for (const f of fs.readdirSync(schemaDir).filter((f) => f.endsWith(".json"))) {
  const s = JSON.parse(fs.readFileSync(path.join(schemaDir, f), "utf8"));
  ajv.addSchema(s);
  if (f === "cloudevent.json") envelope = s.$id;
}
const validate = ajv.getSchema(envelope);

// Money fields of a kind: those its schema titles Amount or Rest (the
// Event fields that hold money, docs/events.md).
const money = {};
const moneyFields = (kind) => (money[kind] ??= Object.entries(ajv.getSchema(envelope.replace("cloudevent.json", `${kind}.json`)).schema.properties)
  .filter(([, p]) => p.title === "Amount" || p.title === "Rest").map(([name]) => name));

async function main() {
  const nc = await connect({ servers: url });
  const js = nc.jetstream();
  const stream = `TICKECON_W_EV_${world}`; // cluster/names
  const kinds = {};
  let total = 0, player, currency;

  // An ordered consumer reads the whole stream from the start, in order.
  const consumer = await js.consumers.get(stream);
  const messages = await consumer.consume();
  for await (const m of messages) {
    const body = JSON.parse(m.string());
    // A batch (application/cloudevents-batch+json) or one structured-mode
    // event (application/cloudevents+json, a relay with -max-events 1).
    for (const ev of Array.isArray(body) ? body : [body]) {
      if (!validate(ev)) throw new Error(`invalid event ${ev.id}: ${ajv.errorsText(validate.errors)}`);
      const kind = ev.type.slice("tickecon.".length);
      const k = (kinds[kind] ??= { count: 0, money: {} });
      k.count++;
      total++;
      for (const f of moneyFields(kind)) k.money[f] = (BigInt(k.money[f] ?? 0) + BigInt(ev.data[f])).toString();
      if (kind === "WalletOpened") player ??= ev.data.Player;
      if (kind === "CurrencyDefined") currency ??= ev.data.Currency;
    }
    if (m.info.pending === 0) break; // caught up (a service would go on)
  }
  messages.stop();

  // A command to the world: grant the first player some money. The inbox
  // takes JSON in the replay log's Event form; the world answers on the
  // Tickecon-Reply-To subject once the tick that applied it is durable.
  const replyTo = createInbox();
  const replies = nc.subscribe(replyTo, { max: 1 });
  const h = headers();
  h.set("Tickecon-Reply-To", replyTo);
  const cmd = { kind: "Minted", subject: Number(player), currency: Number(currency), amount: Number(grant) };
  await js.publish(`tickecon.world.${world}.inbox.support`, JSON.stringify(cmd), { msgID: `grant-${player}-1`, headers: h });
  let reply;
  for await (const m of replies) reply = JSON.parse(m.string());

  console.log(JSON.stringify({ events: total, kinds, player, currency, reply }));
  await nc.drain();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
