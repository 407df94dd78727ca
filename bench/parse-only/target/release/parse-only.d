/work/main/bench/parse-only/target/release/parse-only: /work/main/bench/parse-only/src/main.rs
