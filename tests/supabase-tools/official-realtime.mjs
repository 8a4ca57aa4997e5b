// Supabase's official Realtime client (@supabase/realtime-js through supabase-js) against the
// local stand-in: a user subscribes to their private topic jotline:<user id>, hears the poke of
// another device's sync_push, and another user's join of that topic is refused with Realtime's
// own reason. Run by tests/backend/official_realtime.rs with JOTLINE_URL, JOTLINE_ANON_KEY and
// JOTLINE_VSN (the protocol version: realtime-js speaks 2.0.0 unless told 1.0.0, as the app
// does); exits non-zero with the first broken expectation.
import { createClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import WebSocket from 'ws';

const url = process.env.JOTLINE_URL;
const key = process.env.JOTLINE_ANON_KEY;
const vsn = process.env.JOTLINE_VSN || '2.0.0';
assert.ok(url && key, 'JOTLINE_URL and JOTLINE_ANON_KEY must be set');

// Node 20 has no WebSocket of its own: realtime takes `ws` as its transport.
const client = () =>
  createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket, vsn },
  });

const step = (name) => console.log(`ok: ${name}`);
const password = 'correct horse battery';
const within = (ms, what, promise) =>
  Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)),
  ]);

async function signUp(name) {
  const supabase = client();
  const { data, error } = await supabase.auth.signUp({ email: `${name}-${randomUUID()}@example.com`, password });
  assert.equal(error, null, `sign-up: ${error?.message}`);
  await supabase.realtime.setAuth(data.session.access_token);
  return { supabase, userId: data.user.id };
}

// Subscribes; resolves with the first status that settles the join.
function subscribe(channel) {
  return new Promise((resolve) => {
    channel.subscribe((status, err) => {
      if (status === 'SUBSCRIBED' || status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') {
        resolve({ status, err });
      }
    });
  });
}

const alice = await signUp('alice');
const bob = await signUp('bob');
const topic = `jotline:${alice.userId}`;

let heard;
const poke = new Promise((resolve) => (heard = resolve));
const channel = alice.supabase
  .channel(topic, { config: { private: true } })
  .on('broadcast', { event: 'poke' }, (message) => heard(message));
const subscribed = await within(10000, 'alice subscribes', subscribe(channel));
assert.equal(subscribed.status, 'SUBSCRIBED', `alice's join: ${subscribed.err?.message}`);
step('subscribed to the private topic');

const otherDevice = randomUUID();
const now = new Date().toISOString();
const push = await alice.supabase.rpc('sync_push', {
  client_id: otherDevice,
  ops: [
    {
      op_seq: 1,
      table: 'entries',
      row_id: randomUUID(),
      op: 'upsert',
      fields: { kind: 'note', title: null, body: 'a private thought', occurred_at: now, created_at: now, updated_at: now },
    },
  ],
});
assert.equal(push.error, null, `sync_push: ${push.error?.message}`);
const message = await within(10000, 'the poke', poke);
assert.equal(message.type, 'broadcast');
assert.equal(message.event, 'poke');
assert.equal(message.payload.version, push.data.version, JSON.stringify(message));
assert.equal(message.payload.client_id, otherDevice, JSON.stringify(message));
assert.ok(message.meta?.id, `meta.id: ${JSON.stringify(message)}`);
assert.ok(!JSON.stringify(message).includes('private thought'), JSON.stringify(message));
step('the poke of another device arrives');

const intruder = bob.supabase.channel(topic, { config: { private: true } });
const refused = await within(20000, 'bob is refused', subscribe(intruder));
assert.equal(refused.status, 'CHANNEL_ERROR', `bob's join: ${refused.status}`);
assert.equal(
  refused.err?.message,
  `Unauthorized: You do not have permissions to read from this Channel topic: ${topic}`,
);
step("another user's join is refused");

await alice.supabase.removeAllChannels();
await bob.supabase.removeAllChannels();
step('channels removed');
process.exit(0);
