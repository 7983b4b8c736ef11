// Every Adaptive Card cxos can produce (written by `write_cards DIR`, DIR given as
// CXOS_CARDS_DIR) parsed and validated by Microsoft's own `adaptivecards` library, the renderer
// Teams builds on: any parse or validation event fails the card's test. What the library flags,
// Teams shows badly or not at all; a required input without a label, for example, leaves Teams
// nothing to name when it shows the input's error.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
// The package's ES module build imports its files without extensions, which Node refuses to
// load; the UMD bundle beside it is the same code and needs no DOM to parse and validate.
const AC = require('adaptivecards/dist/adaptivecards.js');

// cxos keeps a card's UTF-8 JSON under 38 KB (adapters/teams/cards.hpp, max_card_bytes), well
// inside the ~100 KB Teams accepts for a bot message; text answers get the same budget.
const MAX_CARD_BYTES = 38 * 1024;

const dir = process.env.CXOS_CARDS_DIR;
if (!dir) throw new Error('CXOS_CARDS_DIR must name the directory `write_cards` wrote');
const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
const read = (file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));

// The outermost cards in a payload (an activity's attachments, an invoke answer's value, a task
// module's card); cards inside Action.ShowCard are parsed with their parent.
function cardsIn(json, where = '$', found = []) {
  if (Array.isArray(json)) json.forEach((v, i) => cardsIn(v, `${where}[${i}]`, found));
  else if (json && typeof json === 'object') {
    if (json.type === 'AdaptiveCard') found.push({ where, card: json });
    else for (const [k, v] of Object.entries(json)) cardsIn(v, `${where}.${k}`, found);
  }
  return found;
}

function describe(event) {
  const source = event.source && event.source.getJsonTypeName ? event.source.getJsonTypeName() : 'card';
  const id = event.source && event.source.id ? ` "${event.source.id}"` : '';
  return `${AC.ValidationPhase[event.phase]} ${AC.ValidationEvent[event.event]} on ${source}${id}: ${event.message}`;
}

// Every event the library raises while parsing (at the card's declared version, so a property
// newer than that version is flagged too) and validating the card.
function problemsOf(json) {
  const context = new AC.SerializationContext();
  const declared = AC.Version.parse(json.version, context);
  if (declared && declared.isValid) context.targetVersion = declared;
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  const events = [];
  for (let i = 0; i < context.eventCount; i++) events.push(describe(context.getEventAt(i)));
  for (const e of card.validateProperties().validationEvents) events.push(describe(e));
  return events;
}

test('write_cards wrote the Teams payloads', () => {
  assert.ok((index.teams_card || []).length >= 100, 'expected every card of the catalog');
  assert.ok((index.teams_text || []).length >= 10, 'expected the text answers too');
});

for (const file of index.teams_card || []) {
  test(file, () => {
    const cards = cardsIn(read(file));
    assert.ok(cards.length > 0, 'no Adaptive Card in this payload');
    for (const { where, card } of cards) {
      assert.deepStrictEqual(problemsOf(card), [], `${where}: the adaptivecards library flags this card`);
      const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
      assert.ok(bytes <= MAX_CARD_BYTES, `${where}: ${bytes} bytes of JSON, more than ${MAX_CARD_BYTES}`);
    }
  });
}

for (const file of index.teams_text || []) {
  test(file, () => {
    const json = read(file);
    const text = typeof json.text === 'string' ? json.text : JSON.stringify(json);
    const bytes = Buffer.byteLength(text, 'utf8');
    assert.ok(bytes <= MAX_CARD_BYTES, `${bytes} bytes of text, more than ${MAX_CARD_BYTES}`);
  });
}
