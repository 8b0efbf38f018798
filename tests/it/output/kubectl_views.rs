//! `batchsim get` and `batchsim watch` through the CLI: kubectl's columns, padding (tabwriter
//! minwidth 6, padding 3) and HumanDuration ages at a virtual instant (kubectl's printers in
//! pkg/printers/internalversion/printers.go; ages from
//! staging/src/k8s.io/apimachinery/pkg/util/duration/duration.go).
use std::process::Command;

fn batchsim(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_batchsim"))
        .args(args)
        .output()
        .expect("batchsim runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// Pod names of a run, in creation order (their suffixes come from the seeded stream).
fn pod_names(file: &str, tag: &str) -> Vec<String> {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("names-{tag}-{}", file.replace('/', "_")));
    let (_, err, code) = batchsim(&[
        "run",
        file,
        "--profile",
        "ideal",
        "--until",
        "5m",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read_to_string(dir.join("pods.csv")).unwrap();
    csv.lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect()
}

/// hello-2 (Replace) at 149 s, ideal profile: the first pod was deleted at 120 s and is
/// Terminating until SIGKILL at 150 s (age 89 s); the second runs since 120 s (age 29 s).
#[test]
fn get_pods_during_replace() {
    let names = pod_names("scenarios/lecture/cronjob-replace.yaml", "get");
    let (out, _, code) = batchsim(&[
        "get",
        "pods",
        "scenarios/lecture/cronjob-replace.yaml",
        "--profile",
        "ideal",
        "--at",
        "149s",
    ]);
    assert_eq!(code, 0);
    let expected = format!(
        "NAME                     READY   STATUS        RESTARTS   AGE\n\
         {}   1/1     Terminating   0          89s\n\
         {}   1/1     Running       0          29s\n",
        names[0], names[1]
    );
    assert_eq!(out, expected);
}

/// The lecture Job at 15 s (ideal): two pods succeeded at 10 s, COMPLETIONS 2/5, still Running.
#[test]
fn get_jobs_mid_run() {
    let (out, _, code) = batchsim(&[
        "get",
        "jobs",
        "scenarios/lecture/parallel-job.yaml",
        "--profile",
        "ideal",
        "--at",
        "15s",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "NAME           STATUS    COMPLETIONS   DURATION   AGE\n\
         parallel-job   Running   2/5           15s        15s\n"
    );
}

/// After completion at 30 s, DURATION freezes at completionTime − startTime; AGE goes on.
#[test]
fn get_jobs_complete() {
    let (out, _, _) = batchsim(&[
        "get",
        "jobs",
        "scenarios/lecture/parallel-job.yaml",
        "--profile",
        "ideal",
        "--at",
        "150s",
    ]);
    assert_eq!(
        out,
        "NAME           STATUS     COMPLETIONS   DURATION   AGE\n\
         parallel-job   Complete   5/5           30s        2m30s\n"
    );
}

/// The CronJob at 150 s: one active Job, last schedule the 12:02 slot (30 s ago).
#[test]
fn get_cronjobs() {
    let (out, _, _) = batchsim(&[
        "get",
        "cronjobs",
        "scenarios/lecture/cronjob-replace.yaml",
        "--profile",
        "ideal",
        "--at",
        "150s",
    ]);
    assert_eq!(
        out,
        "NAME      SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\n\
         hello-2   */1 * * * *   <none>     False     1        30s             2m30s\n"
    );
}

/// Before the first slot there are no pods: kubectl's message on stderr, nothing on stdout.
#[test]
fn get_nothing_yet() {
    let (out, err, code) = batchsim(&[
        "get",
        "pods",
        "scenarios/lecture/cronjob-replace.yaml",
        "--at",
        "30s",
    ]);
    assert_eq!((out.as_str(), code), ("", 0));
    assert_eq!(err, "No resources found in default namespace.\n");
}

/// `watch` on hello-2 (ideal): the first pod goes Pending → ContainerCreating → Running at
/// 60 s, Terminating at 120 s (1/1, age 60s), then its Error (137) row when it is killed and
/// removed at 150 s; the second pod starts at 120 s.
#[test]
fn watch_shows_the_lecture_sequence() {
    let names = pod_names("scenarios/lecture/cronjob-replace.yaml", "watch");
    let (out, _, code) = batchsim(&[
        "watch",
        "scenarios/lecture/cronjob-replace.yaml",
        "--profile",
        "ideal",
        "--until",
        "151s",
    ]);
    assert_eq!(code, 0);
    let first: Vec<(String, String, String)> = out
        .lines()
        .filter(|l| l.contains(&names[0]))
        .map(|l| {
            let t = l[1..l.find(']').unwrap()].trim().to_string();
            let cols: Vec<&str> = l[l.find(']').unwrap() + 1..].split_whitespace().collect();
            (
                t.split_whitespace().next().unwrap().to_string(),
                cols[1].to_string(),
                cols[2].to_string(),
            )
        })
        .collect();
    let expect = |t: &str, r: &str, s: &str| (t.to_string(), r.to_string(), s.to_string());
    assert_eq!(
        first,
        vec![
            expect("+60.000s", "0/1", "Pending"),
            expect("+60.000s", "0/1", "ContainerCreating"),
            expect("+60.000s", "1/1", "Running"),
            expect("+120.000s", "1/1", "Terminating"),
            expect("+150.000s", "0/1", "Error"),
        ]
    );
    assert!(out.lines().next().unwrap().trim_start().starts_with("NAME"));
}
