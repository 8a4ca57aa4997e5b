// Supabase's official JavaScript client against the local stand-in: what @supabase/supabase-js
// parses from its answers is what a real project gives it. Run by tests/backend/official_client.rs
// with JOTLINE_URL and JOTLINE_ANON_KEY; exits non-zero with the first broken expectation.
import { createClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import WebSocket from 'ws';

const url = process.env.JOTLINE_URL;
const key = process.env.JOTLINE_ANON_KEY;
assert.ok(url && key, 'JOTLINE_URL and JOTLINE_ANON_KEY must be set');

// Node 20 has no WebSocket of its own: realtime takes `ws` as its transport.
const client = () =>
  createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket },
  });

const step = (name) => console.log(`ok: ${name}`);
const password = 'correct horse battery';

const alice = client();
const email = `alice-${randomUUID()}@example.com`;
const signedUp = await alice.auth.signUp({ email, password });
assert.equal(signedUp.error, null, `sign-up: ${signedUp.error?.message}`);
assert.ok(signedUp.data.session?.access_token, 'sign-up signs in');
const userId = signedUp.data.user.id;
step('sign-up');

const wrong = await client().auth.signInWithPassword({ email, password: 'wrong' });
assert.equal(wrong.data.session, null);
assert.equal(wrong.error?.code, 'invalid_credentials', `wrong password: ${JSON.stringify(wrong.error)}`);
assert.equal(wrong.error?.status, 400);
step('wrong password is invalid_credentials');

const signedIn = await alice.auth.signInWithPassword({ email, password });
assert.equal(signedIn.error, null, `sign-in: ${signedIn.error?.message}`);
const first = signedIn.data.session;
step('sign-in');

const refreshed = await alice.auth.refreshSession();
assert.equal(refreshed.error, null, `refresh: ${refreshed.error?.message}`);
assert.notEqual(refreshed.data.session.refresh_token, first.refresh_token, 'the refresh token rotates');
step('refresh');

const entry = randomUUID();
const now = new Date().toISOString();
const push = await alice.rpc('sync_push', {
  client_id: randomUUID(),
  ops: [
    {
      op_seq: 1,
      table: 'entries',
      row_id: entry,
      op: 'upsert',
      fields: { kind: 'note', title: null, body: 'from supabase-js', occurred_at: now, created_at: now, updated_at: now },
    },
  ],
});
assert.equal(push.error, null, `sync_push: ${push.error?.message}`);
assert.equal(push.data.results[0].status, 'applied', JSON.stringify(push.data));
step('rpc sync_push');

const pull = await alice.rpc('sync_pull', { cursor: null, page_size: 10 });
assert.equal(pull.error, null, `sync_pull: ${pull.error?.message}`);
assert.deepEqual(
  pull.data.changes.map((c) => c.row.id),
  [entry],
);
step('rpc sync_pull');

const direct = await alice.from('entries').update({ version: 0 }).eq('id', entry);
assert.equal(direct.error?.code, '42501', `a direct write: ${JSON.stringify(direct)}`);
step('a direct write of a sync table is refused');

const wav = new Uint8Array([82, 73, 70, 70, 36, 0, 0, 0, 87, 65, 86, 69]);
const path = `${userId}/${randomUUID()}.wav`;
const upload = await alice.storage.from('captures').upload(path, wav, { contentType: 'audio/wav', upsert: true });
assert.equal(upload.error, null, `upload: ${upload.error?.message}`);
assert.equal(upload.data.path, path);
step('storage upload');

const download = await alice.storage.from('captures').download(path);
assert.equal(download.error, null, `download: ${download.error?.message}`);
assert.equal(download.data.type, 'audio/wav');
assert.deepEqual(new Uint8Array(await download.data.arrayBuffer()), wav);
step('storage download');

const elsewhere = `${randomUUID()}/${randomUUID()}.wav`;
const refused = await alice.storage.from('captures').upload(elsewhere, wav, { contentType: 'audio/wav', upsert: true });
assert.equal(refused.data, null);
assert.equal(refused.error?.statusCode, '403', `refused upload: ${JSON.stringify(refused.error)}`);
assert.match(refused.error.message, /row-level security/);
step('storage refuses another folder');
