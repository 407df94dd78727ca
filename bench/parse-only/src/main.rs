//! parse-only DIR [--keep]
//!
//! The floor that no tool reading a saydo dataset can beat: read every
//! DIR/{actors,claims,actions}/*.json (one JSON array) and *.jsonl (one record per
//! non-blank line) and parse every record into a generic `serde_json::Value`,
//! using all cores (rayon: in parallel over files and, for .jsonl, over chunks of
//! lines). Nothing is validated or interpreted. Prints the record counts and the
//! elapsed time to stderr; exits 1 on unreadable or invalid JSON, 2 on bad usage.
//!
//! By default each Value is dropped right after it is parsed (the time floor).
//! With --keep every Value is held until the end, which shows what merely holding
//! the whole dataset as generic JSON costs in memory.

use rayon::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::exit;
use std::time::Instant;

/// Target size of one parallel chunk of a .jsonl file, in bytes.
const CHUNK: usize = 1 << 20;

fn fail(msg: String) -> ! {
    eprintln!("parse-only: {msg}");
    exit(1)
}

/// The *.json and *.jsonl files directly in `dir`, sorted; none if it is absent.
fn list(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut v: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("json" | "jsonl")))
        .collect();
    v.sort();
    v
}

/// Splits `buf` into pieces of about CHUNK bytes, each ending just after a newline
/// (or at the end of the buffer). Returns (byte offset, piece).
fn chunks(buf: &[u8]) -> Vec<(usize, &[u8])> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < buf.len() {
        let mut end = (start + CHUNK).min(buf.len());
        while end < buf.len() && buf[end - 1] != b'\n' {
            end += 1;
        }
        out.push((start, &buf[start..end]));
        start = end;
    }
    out
}

/// Parses one file; returns (record count, the Values if `keep`).
fn parse_file(path: &Path, keep: bool) -> (usize, Vec<Value>) {
    let buf = std::fs::read(path).unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
    if path.extension().and_then(|e| e.to_str()) == Some("json") {
        let v: Vec<Value> = serde_json::from_slice(&buf)
            .unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
        return (v.len(), if keep { v } else { Vec::new() });
    }
    let parts: Vec<(usize, Vec<Value>)> = chunks(&buf)
        .into_par_iter()
        .map(|(offset, piece)| {
            let mut n = 0;
            let mut kept = Vec::new();
            let mut pos = 0;
            for line in piece.split(|&b| b == b'\n') {
                let line_start = pos;
                pos += line.len() + 1;
                if line.iter().all(|b| b.is_ascii_whitespace()) {
                    continue;
                }
                match serde_json::from_slice::<Value>(line) {
                    Ok(v) => {
                        n += 1;
                        if keep {
                            kept.push(v);
                        }
                    }
                    Err(e) => {
                        let at = offset + line_start;
                        let lineno = buf[..at].iter().filter(|&&b| b == b'\n').count() + 1;
                        fail(format!("{}:{lineno}: {e}", path.display()))
                    }
                }
            }
            (n, kept)
        })
        .collect();
    let n = parts.iter().map(|p| p.0).sum();
    (n, parts.into_iter().flat_map(|p| p.1).collect())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let keep = args.iter().any(|a| a == "--keep");
    let dirs: Vec<&String> = args.iter().filter(|a| *a != "--keep").collect();
    let [dir] = dirs[..] else {
        eprintln!("usage: parse-only DIR [--keep]");
        exit(2)
    };
    let t0 = Instant::now();
    let kinds = ["actors", "claims", "actions"];
    let files: Vec<(usize, PathBuf)> = kinds
        .iter()
        .enumerate()
        .flat_map(|(k, sub)| list(&Path::new(dir).join(sub)).into_iter().map(move |p| (k, p)))
        .collect();
    if files.is_empty() {
        eprintln!("parse-only: no .json/.jsonl files under {dir}/{{actors,claims,actions}}");
        exit(2)
    }
    let results: Vec<(usize, usize, Vec<Value>)> = files
        .par_iter()
        .map(|(k, p)| {
            let (n, v) = parse_file(p, keep);
            (*k, n, v)
        })
        .collect();
    let mut counts = [0usize; 3];
    for (k, n, _) in &results {
        counts[*k] += n;
    }
    let total: usize = counts.iter().sum();
    eprintln!(
        "parse-only: {total} records (actors {}, claims {}, actions {}) from {} files in {:.3}s on {} threads{}",
        counts[0],
        counts[1],
        counts[2],
        files.len(),
        t0.elapsed().as_secs_f64(),
        rayon::current_num_threads(),
        if keep { ", all kept in memory" } else { "" }
    );
    // With --keep the Values live until here; skip freeing them, as a real tool would.
    std::mem::forget(results);
}
