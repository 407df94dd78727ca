//! Arbitrary actor ids, names, aliases and lookups into
//! `Registry::build` and `Registry::lookup`:
//! - nothing panics;
//! - every name an actor was given resolves to that actor (or is ambiguous
//!   among owners that include it);
//! - a lookup gives the same answer with ASCII letters in another case and
//!   with whitespace around the name, and for the name in lower case;
//! - a did-you-mean suggestion is a name of the actor it points to.
//!
//! With `SAYDO_FUZZ_UNICODE_CASE=1` it also requires the same answer for
//! the name in Unicode upper case, which `to_lowercase` matching does not
//! give for letters such as 'ß' (upper case "SS"); see README.md.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use saydo::internals::names::{Lookup, Registry};
use saydo::model::{Actor, ActorKind, normalize_name};

#[derive(Arbitrary, Debug)]
struct Input {
    actors: Vec<(String, String, Vec<String>)>,
    lookups: Vec<String>,
}

fn flip_ascii_case(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_lowercase() {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

fn unicode_case() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("SAYDO_FUZZ_UNICODE_CASE").is_some_and(|v| v == "1"))
}

fuzz_target!(|input: Input| {
    let actors: Vec<Actor> = input
        .actors
        .into_iter()
        .take(8)
        .map(|(id, name, aliases)| Actor {
            id,
            name,
            kind: ActorKind::Person,
            aliases: aliases.into_iter().take(4).collect(),
            roles: Vec::new(),
            at: None,
        })
        .collect();
    let reg = Registry::build(&actors);

    let valid = |l: &Lookup| match l {
        Lookup::Found(ix) => assert!((*ix as usize) < actors.len()),
        Lookup::Ambiguous(v) => {
            assert!(v.len() >= 2, "ambiguous among {v:?}");
            assert!(
                v.windows(2).all(|w| w[0] < w[1]),
                "owners not sorted: {v:?}"
            );
            assert!(v.iter().all(|&ix| (ix as usize) < actors.len()));
        }
        Lookup::Unknown { suggestion } => {
            if let Some((spelling, ix)) = suggestion {
                let a = &actors[*ix as usize];
                let names: Vec<String> = std::iter::once(&a.id)
                    .chain([&a.name])
                    .chain(&a.aliases)
                    .map(|n| n.trim().to_string())
                    .collect();
                assert!(
                    names.contains(spelling),
                    "suggested {spelling:?} is not a name of {a:?}"
                );
            }
        }
    };

    // Every given name resolves to its actor.
    for (i, a) in actors.iter().enumerate() {
        for n in std::iter::once(&a.id).chain([&a.name]).chain(&a.aliases) {
            match reg.lookup(n) {
                Lookup::Found(ix) => assert_eq!(ix as usize, i, "{n:?}"),
                Lookup::Ambiguous(v) => assert!(v.contains(&(i as u32)), "{n:?}: {v:?}"),
                Lookup::Unknown { .. } => panic!("name {n:?} of actor {i} is unknown"),
            }
        }
    }

    // Shared names are shared by distinct actors.
    for (name, owners) in reg.shared_names() {
        assert!(
            owners.len() >= 2 && owners.windows(2).all(|w| w[0] < w[1]),
            "{name:?}: {owners:?}"
        );
        assert_eq!(normalize_name(name), name);
    }

    let names = actors
        .iter()
        .flat_map(|a| std::iter::once(&a.id).chain([&a.name]).chain(&a.aliases))
        .cloned();
    for s in input.lookups.into_iter().take(8).chain(names) {
        let l = reg.lookup(&s);
        valid(&l);
        let mut variants = vec![
            flip_ascii_case(&s),
            s.to_ascii_uppercase(),
            s.to_ascii_lowercase(),
            format!(" {s}\t"),
            format!("\n {} \r\n", flip_ascii_case(&s)),
            s.to_lowercase(),
        ];
        if unicode_case() {
            variants.push(s.to_uppercase());
        }
        for v in variants {
            assert_eq!(reg.lookup(&v), l, "{s:?} and {v:?} resolve differently");
        }
    }
});
