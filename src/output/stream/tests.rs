use super::*;

fn key(t: i64, name: &str) -> Key {
    (Time(t), name.to_string(), Uid(t as u64))
}

/// A write error on the writer thread comes back from `finish`.
#[test]
fn write_errors_reach_finish() {
    #[derive(Debug)]
    struct Broken;
    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut stream = CsvStream::new(Time(0), DAY, (Broken, Broken, Broken), None);
    for i in 0..10 {
        stream.event(&Event {
            time: Time(i),
            kind: crate::cluster::model::Kind::Job,
            name: format!("job-{i}").into(),
            event_type: crate::cluster::model::EventType::Normal,
            reason: "SuccessfulCreate".into(),
            message: format!("Created pod: job-{i}-abcde").into(),
        });
    }
    let err = stream.finish(Time(10)).err().map(|e| e.to_string());
    assert_eq!(err.as_deref(), Some("disk full"));
}

/// A row held back by a live object is spilled once more than the limit wait; the final
/// merge writes the runs and the rest in key order and removes the run files.
#[test]
fn held_back_rows_spill_and_merge_in_order() {
    let dir = std::env::temp_dir().join(format!("batchsim-ordered-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut o = Ordered::new();
    o.spill_dir = Some((dir.clone(), "t.csv".into(), 2));
    let mut out = RowWriter::new(Vec::new(), &[]);
    out.take_rows();
    o.added(key(0, "blocker"));
    for t in [5, 3, 9, 1, 7, 2] {
        o.added(key(t, "r"));
        o.done(key(t, "r"), format!("{t}\n").into_bytes(), &mut out);
    }
    assert_eq!(o.runs.len(), 2, "two spills of three rows");
    assert!(o.runs.iter().all(|p| p.exists()));
    o.done(key(0, "blocker"), b"0\n".to_vec(), &mut out);
    o.finish(&mut out).unwrap();
    let runs = o.runs.clone();
    drop(o);
    assert!(runs.iter().all(|p| !p.exists()));
    assert_eq!(out.finish().unwrap(), b"0\n1\n2\n3\n5\n7\n9\n");
    std::fs::remove_dir(&dir).expect("the run files are gone, so the folder is empty");
}
