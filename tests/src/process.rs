//! Small process utilities: free ports, and a process tree's memory, CPU time and context
//! switches, and killing it.

use std::collections::HashMap;
use std::net::TcpListener;

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free local port")
}

/// Memory (MiB) of `pid` and all its descendants, from /proc/<pid>/smaps_rollup:
/// `field` is `Rss` (counts shared libraries once per process) or `Pss` (shares them out).
pub fn tree_memory_mb(pid: u32, field: &str) -> f64 {
    let total_kb: u64 = tree(pid).into_iter().map(|p| rollup_kb(p, field)).sum();
    total_kb as f64 / 1024.0
}

fn rollup_kb(pid: u32, field: &str) -> u64 {
    let prefix = format!("{field}:");
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(&prefix))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// CPU time (user + system, in clock ticks) used so far by `pid` and its descendants,
/// from /proc/<pid>/stat.
pub fn tree_cpu_ticks(pid: u32) -> u64 {
    tree(pid).into_iter().map(cpu_ticks).sum()
}

/// Context switches (voluntary + involuntary) so far of every thread of `pid` and its
/// descendants, by thread id: an idle program that polls shows them climbing although its CPU
/// time barely moves. Compare two readings with [`switches_between`].
pub fn tree_context_switches(pid: u32) -> HashMap<u32, u64> {
    let mut out = HashMap::new();
    for p in tree(pid) {
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{p}/task")) else {
            continue;
        };
        for task in tasks.flatten() {
            let Some(tid) = task.file_name().to_str().and_then(|t| t.parse().ok()) else {
                continue;
            };
            let Ok(status) = std::fs::read_to_string(task.path().join("status")) else {
                continue;
            };
            let switches = status
                .lines()
                .filter(|l| l.contains("ctxt_switches:"))
                .filter_map(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum();
            out.insert(tid, switches);
        }
    }
    out
}

/// Switches made between two readings by the threads of the second (a thread that started
/// in between counts from zero; one that ended in between is not counted).
pub fn switches_between(before: &HashMap<u32, u64>, after: &HashMap<u32, u64>) -> u64 {
    after
        .iter()
        .map(|(tid, n)| n.saturating_sub(before.get(tid).copied().unwrap_or(0)))
        .sum()
}

fn cpu_ticks(pid: u32) -> u64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0;
    };
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    field(11) + field(12)
}

/// `getconf CLK_TCK` (100 on Linux unless configured otherwise).
pub fn clock_ticks_per_second() -> u64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(100)
}

/// Kills `pid` and every process below it (SIGKILL), children first found, all at once.
pub fn kill_tree(pid: u32) {
    kill_all(&tree(pid));
}

/// `pid` and every process below it.
pub fn tree(pid: u32) -> Vec<u32> {
    let mut all = Vec::new();
    let mut stack = vec![pid];
    while let Some(p) = stack.pop() {
        all.push(p);
        stack.extend(children(p));
    }
    all
}

/// Kills every process of `all` (SIGKILL) and waits until they have exited.
pub fn kill_all(all: &[u32]) {
    let _ = std::process::Command::new("kill")
        .arg("-KILL")
        .args(all.iter().map(u32::to_string))
        .stderr(std::process::Stdio::null())
        .status();
    // SIGKILL only asks: until a process has exited, its X connection (and so its global key
    // grabs) is still open, and the next test's app would find its hotkeys taken.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while all.iter().any(|&p| is_running(p)) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Whether `pid` still runs: a zombie has exited (its files and sockets are closed) and only
/// waits to be reaped.
fn is_running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        // The state follows the parenthesised command name, which may itself hold spaces.
        stat.rsplit_once(") ")
            .is_some_and(|(_, rest)| !rest.starts_with('Z') && !rest.starts_with('X'))
    })
}

pub fn children(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return out;
    };
    for task in tasks.flatten() {
        if let Ok(list) = std::fs::read_to_string(task.path().join("children")) {
            out.extend(
                list.split_whitespace()
                    .filter_map(|c| c.parse::<u32>().ok()),
            );
        }
    }
    out
}

/// The pid of the app process started with `JOTLINE_DATA_DIR=data_dir` (it is a grandchild
/// of the test, started by WebKitWebDriver), found through /proc.
pub fn app_pid(data_dir: &std::path::Path) -> Option<u32> {
    let wanted = format!("JOTLINE_DATA_DIR={}", data_dir.display());
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|proc_dir| {
            let pid: u32 = proc_dir.file_name().to_str()?.parse().ok()?;
            let exe = std::fs::read_link(proc_dir.path().join("exe")).ok()?;
            if exe.file_name()? != "jotline" {
                return None;
            }
            let environ = std::fs::read(proc_dir.path().join("environ")).ok()?;
            environ
                .split(|b| *b == 0)
                .any(|var| var == wanted.as_bytes())
                .then_some(pid)
        })
}
