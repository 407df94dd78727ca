/work/main/bench/parse-only/target/release/deps/parse_only-5e2262f0e0d7db9f.d: src/main.rs

/work/main/bench/parse-only/target/release/deps/parse_only-5e2262f0e0d7db9f: src/main.rs

src/main.rs:
