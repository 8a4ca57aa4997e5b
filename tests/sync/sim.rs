//! The randomized simulation: three devices of one user, each its own `Core` on its own data
//! dir behind its own fault proxy, doing seeded random creates, edits (different and the same
//! fields), deletes and sync rounds while online, offline or on a flaky network, sometimes
//! killed (between steps or in the middle of a round) and reopened. Then the network heals,
//! everyone syncs until quiet, and both sides are compared.
//!
//! `JOTLINE_SIM_SEED` replays a run (the seed is printed whenever the test fails);
//! `JOTLINE_SIM_STEPS` sets the number of steps (default 300).
//!
//! What the model asserts is what the protocol promises (README "sync_push"/"sync_pull"):
//! convergence of every live entry's content and of deletions, no row twice, no locally
//! committed entry missing, delete wins, and field-level last-writer-wins in ARRIVAL order,
//! which is why a field's final value is only required to be one that some device wrote
//! (which write arrived last depends on the network, not on the step order).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::{TimeZone, Utc};
use jotline_core::auth::Session;
use jotline_core::{EntryPatch, Surface};
use jotline_tests::backend::Fault;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use crate::common::{
    server_dead_letters, server_entries, server_entry_count, server_last_op_seq, sign_up, Device,
    Row, PULL, PUSH,
};

const DEVICES: usize = 3;
/// The devices' HTTP timeout; a delayed answer waits longer than this.
const TIMEOUT: Duration = Duration::from_millis(700);
const LATE: Duration = Duration::from_millis(900);
const FIELDS: [&str; 4] = ["kind", "title", "body", "occurred_at"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Net {
    Online,
    /// Every request dropped before it reaches the backend.
    Offline,
    /// Each round may meet one random fault.
    Flaky,
}

/// Prints the seed (and the last steps) if the test panics while it is alive.
struct Replay {
    seed: u64,
    steps: usize,
    log: Vec<String>,
}

impl Drop for Replay {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let tail = self.log.len().saturating_sub(40);
            eprintln!(
                "\n=== sync simulation FAILED: replay with JOTLINE_SIM_SEED={} JOTLINE_SIM_STEPS={} ===\n\
                 last steps:\n  {}",
                self.seed,
                self.steps,
                self.log[tail..].join("\n  ")
            );
        }
    }
}

#[derive(Debug, Default)]
struct Stats {
    creates: usize,
    edits: usize,
    deletes: usize,
    rounds_ok: usize,
    rounds_failed: usize,
    kills: usize,
    kills_mid_round: usize,
    faults: usize,
}

/// What the devices committed locally, by entry.
#[derive(Default)]
struct Model {
    created: BTreeSet<Uuid>,
    deleted: BTreeSet<Uuid>,
    /// Every value any device committed for (entry, field), as a string.
    written: BTreeMap<(Uuid, &'static str), BTreeSet<String>>,
}

fn field_values(row: &Row) -> Option<[(&'static str, String); 4]> {
    match row {
        Row::Live {
            kind,
            title,
            body,
            occurred_at_ms,
        } => Some([
            ("kind", kind.clone()),
            ("title", format!("{title:?}")),
            ("body", body.clone()),
            ("occurred_at", occurred_at_ms.to_string()),
        ]),
        Row::Deleted => None,
    }
}

impl Model {
    /// Records what `device` now holds for `id` (right after its local commit).
    fn record(&mut self, device: &Device, id: Uuid) {
        let entries = device.entries();
        if let Some(values) = field_values(&entries[&id]) {
            for (field, value) in values {
                self.written.entry((id, field)).or_default().insert(value);
            }
        }
    }
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

#[tokio::test]
async fn randomized_devices_converge_and_lose_nothing() {
    let seed = env_u64("JOTLINE_SIM_SEED").unwrap_or_else(|| rand::thread_rng().gen());
    let steps = env_u64("JOTLINE_SIM_STEPS").unwrap_or(300) as usize;
    let mut replay = Replay {
        seed,
        steps,
        log: Vec::new(),
    };
    eprintln!("sync simulation: JOTLINE_SIM_SEED={seed} JOTLINE_SIM_STEPS={steps}");
    let mut rng = StdRng::seed_from_u64(seed);

    let backend = crate::common::backend().await;
    let db = backend.connect_db().await.unwrap();
    let session = sign_up(&backend, "sim@example.com").await;
    let mut devices: Vec<Device> = (0..DEVICES)
        .map(|i| Device::new(&backend, &format!("d{i}"), TIMEOUT))
        .collect();
    let mut net = [Net::Online; DEVICES];
    let mut model = Model::default();
    let mut stats = Stats::default();

    for step in 0..steps {
        let d = rng.gen_range(0..DEVICES);
        let roll = rng.gen_range(0..100);
        let what = if devices[d].core.is_none() {
            // A killed device: the only thing that happens to it is being started again.
            devices[d].reopen();
            "reopen".to_string()
        } else if roll < 22 {
            create(&devices[d], &mut rng, step, &mut model, &mut stats)
        } else if roll < 50 {
            edit(&devices[d], &mut rng, step, &mut model, &mut stats)
        } else if roll < 56 {
            delete(&devices[d], &mut rng, &mut model, &mut stats)
        } else if roll < 85 {
            let fault = pick_fault(net[d], &mut rng);
            if fault.is_some() {
                stats.faults += 1;
            }
            round(&devices[d], &session, fault, &mut stats).await
        } else if roll < 93 {
            let next = match rng.gen_range(0..8) {
                0..=2 => Net::Online,
                3 | 4 => Net::Offline,
                _ => Net::Flaky,
            };
            set_net(&devices[d], next);
            net[d] = next;
            format!("net {next:?}")
        } else if roll < 97 {
            stats.kills += 1;
            devices[d].kill();
            "killed".to_string()
        } else {
            stats.kills_mid_round += 1;
            net[d] = Net::Online;
            kill_mid_round(&mut devices[d], &session).await
        };
        replay.log.push(format!("{step:4} d{d} {what}"));
    }

    // Heal: every device up, no faults, late requests landed.
    for (i, device) in devices.iter_mut().enumerate() {
        set_net(device, Net::Online);
        net[i] = Net::Online;
        if device.core.is_none() {
            device.reopen();
        }
    }
    tokio::time::sleep(LATE + Duration::from_millis(300)).await;
    let refused = server_dead_letters(&db, session.user_id).await;
    assert!(
        refused.is_empty(),
        "the server refused honest ops: {refused:?} (seed {seed})"
    );
    // Only transient faults were injected, and those never dead-letter an op.
    for device in &devices {
        let dead = device.core().sync().dead_letters().unwrap();
        assert!(
            dead.is_empty(),
            "{}: transient faults dead-lettered {dead:?} (seed {seed})",
            device.name
        );
    }
    for device in &devices {
        replay
            .log
            .push(format!("heal {} outbox {:?}", device.name, device.outbox()));
    }
    let mut quiet = false;
    for pass in 0..10 {
        let mut changed = false;
        for device in &devices {
            let report = device.round(&session).await.unwrap_or_else(|e| {
                panic!("healed round of {} failed: {e} (seed {seed})", device.name)
            });
            replay
                .log
                .push(format!("heal pass {pass} {}: {report:?}", device.name));
            changed |=
                report.pushed > 0 || report.rejected > 0 || !report.entries_updated.is_empty();
        }
        if !changed {
            quiet = true;
            break;
        }
    }
    assert!(quiet, "the devices never went quiet (seed {seed})");
    eprintln!(
        "sync simulation seed {seed}: {stats:?}, {} entries",
        model.created.len()
    );

    // 1. Nothing pending anywhere; the server recorded each device's last op.
    for device in &devices {
        let outbox = device.outbox();
        assert!(
            outbox.is_empty(),
            "{} still queues {outbox:?}, dead: {:?} (seed {seed})",
            device.name,
            device.core().sync().dead_letters().unwrap()
        );
        let (client_id, last_seq) = device.sync_meta();
        if last_seq > 0 {
            assert_eq!(
                server_last_op_seq(&db, session.user_id, client_id).await,
                Some(last_seq),
                "{}: server's last_op_seq (seed {seed})",
                device.name
            );
        }
    }
    assert!(server_dead_letters(&db, session.user_id).await.is_empty());

    // 2. No row twice, none missing, none invented.
    let server = server_entries(&db, session.user_id).await;
    assert_eq!(
        server_entry_count(&db, session.user_id).await as usize,
        server.len(),
        "seed {seed}"
    );
    let server_ids: BTreeSet<Uuid> = server.keys().copied().collect();
    let missing: Vec<_> = model.created.difference(&server_ids).collect();
    assert!(
        missing.is_empty(),
        "committed locally, missing on the server: {missing:?} (seed {seed})"
    );
    let invented: Vec<_> = server_ids.difference(&model.created).collect();
    assert!(
        invented.is_empty(),
        "rows nobody created: {invented:?} (seed {seed})"
    );

    // 3. Every device equals the server: same ids, same live content, same tombstones.
    for device in &devices {
        let local = device.entries();
        if local != server {
            let diff: Vec<_> = server
                .keys()
                .chain(local.keys())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .filter(|id| local.get(id) != server.get(id))
                .map(|id| {
                    format!(
                        "{id}: local {:?} server {:?}",
                        local.get(id),
                        server.get(id)
                    )
                })
                .collect();
            panic!(
                "{} differs from the server (seed {seed}):\n  {}",
                device.name,
                diff.join("\n  ")
            );
        }
    }

    // 4. Delete wins: whatever a device deleted is deleted on the server (and so everywhere).
    for id in &model.deleted {
        assert_eq!(
            server.get(id),
            Some(&Row::Deleted),
            "{id} deleted by a device (seed {seed})"
        );
    }

    // 5. Field-level LWW: every live field holds a value some device wrote.
    for (id, row) in &server {
        if let Some(values) = field_values(row) {
            for (field, value) in values {
                let written = model.written.get(&(*id, field));
                assert!(
                    written.is_some_and(|w| w.contains(&value)),
                    "{id}.{field} = {value:?}, which no device wrote ({written:?}) (seed {seed})"
                );
            }
        }
    }
    drop(replay);
}

fn create(
    device: &Device,
    rng: &mut StdRng,
    step: usize,
    model: &mut Model,
    stats: &mut Stats,
) -> String {
    let body = format!("created at step {step} on {}", device.name);
    let id = if rng.gen_bool(0.25) {
        // The quick-capture path: an entry and its capture in one transaction.
        device
            .core()
            .capture_text(&body, Surface::InApp)
            .unwrap()
            .entry
            .id
    } else {
        let title = rng.gen_bool(0.5).then(|| format!("title {step}"));
        device.create(title.as_deref(), &body)
    };
    stats.creates += 1;
    model.created.insert(id);
    model.record(device, id);
    format!("create {id}")
}

fn live_ids(device: &Device) -> Vec<Uuid> {
    device
        .entries()
        .into_iter()
        .filter(|(_, r)| matches!(r, Row::Live { .. }))
        .map(|(id, _)| id)
        .collect()
}

fn edit(
    device: &Device,
    rng: &mut StdRng,
    step: usize,
    model: &mut Model,
    stats: &mut Stats,
) -> String {
    let live = live_ids(device);
    if live.is_empty() {
        return "edit: nothing to edit".into();
    }
    let id = live[rng.gen_range(0..live.len())];
    let mut patch = EntryPatch::default();
    let mut fields = Vec::new();
    // One field most of the time (so devices often race on the same one), sometimes two.
    for _ in 0..rng.gen_range(1..=2) {
        let field = FIELDS[rng.gen_range(0..FIELDS.len())];
        fields.push(field);
        match field {
            "kind" => {
                patch.kind = Some(["note", "task", "event", "idea"][rng.gen_range(0..4)].into())
            }
            "title" => {
                patch.title = Some(
                    rng.gen_bool(0.8)
                        .then(|| format!("t{step} {}", device.name)),
                )
            }
            "body" => patch.body = Some(format!("edited at step {step} on {}", device.name)),
            _ => {
                patch.occurred_at = Some(
                    Utc.timestamp_millis_opt(1_700_000_000_000 + rng.gen_range(0..1_000_000_000))
                        .unwrap(),
                )
            }
        }
    }
    device.core().update_entry(id, patch).unwrap();
    stats.edits += 1;
    model.record(device, id);
    format!("edit {id} {fields:?}")
}

fn delete(device: &Device, rng: &mut StdRng, model: &mut Model, stats: &mut Stats) -> String {
    let live = live_ids(device);
    if live.is_empty() {
        return "delete: nothing to delete".into();
    }
    let id = live[rng.gen_range(0..live.len())];
    device.core().delete_entry(id).unwrap();
    stats.deletes += 1;
    model.deleted.insert(id);
    format!("delete {id}")
}

fn set_net(device: &Device, net: Net) {
    device.proxy.clear();
    if net == Net::Offline {
        device.proxy.inject("/", Fault::DropRequest, usize::MAX);
    }
}

/// A fault for the next request of a flaky device, on the push or the pull.
fn pick_fault(net: Net, rng: &mut StdRng) -> Option<(&'static str, Fault)> {
    if net != Net::Flaky || rng.gen_bool(0.25) {
        return None;
    }
    let path = if rng.gen_bool(0.6) { PUSH } else { PULL };
    let fault = match rng.gen_range(0..9) {
        0 => Fault::DropRequest,
        1 | 2 => Fault::DropResponse,
        3 => Fault::Status(500),
        4 => Fault::Status(503),
        5 => Fault::DelayRequest(LATE),
        6 => Fault::DelayResponse(LATE),
        7 => Fault::TruncateBody,
        _ => Fault::MalformedBody,
    };
    Some((path, fault))
}

async fn round(
    device: &Device,
    session: &Session,
    fault: Option<(&'static str, Fault)>,
    stats: &mut Stats,
) -> String {
    let note = match &fault {
        Some((path, f)) => {
            device.proxy.clear();
            device.proxy.inject(path, f.clone(), 1);
            format!(" with {f:?} on {path}")
        }
        None => String::new(),
    };
    match device.round(session).await {
        Ok(r) => {
            stats.rounds_ok += 1;
            format!(
                "round{note}: ok pushed {} pages {} updated {}",
                r.pushed,
                r.pages,
                r.entries_updated.len()
            )
        }
        Err(e) => {
            assert!(
                e.is_transient(),
                "only transient failures are injected, got {e:?}"
            );
            stats.rounds_failed += 1;
            format!("round{note}: {e}")
        }
    }
}

/// The app dies while its push is in flight: the backend commits, the client never hears.
async fn kill_mid_round(device: &mut Device, session: &Session) -> String {
    device.proxy.clear();
    device
        .proxy
        .inject(PUSH, Fault::DelayResponse(Duration::from_millis(400)), 1);
    let cut = tokio::time::timeout(Duration::from_millis(150), device.round(session)).await;
    device.proxy.clear();
    device.kill();
    format!(
        "killed mid-round ({})",
        if cut.is_err() {
            "cut"
        } else {
            "finished first"
        }
    )
}
