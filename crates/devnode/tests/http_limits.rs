//! The HTTP layer's body cap holds for every framing: `Content-Length`, and chunked bodies
//! whatever their chunk sizes (a size of `ffffffffffffffff` once wrapped the check).

mod common;

use common::client::{exchange, ok};
use devnode::rpc::http::MAX_BODY;
use devnode::rpc::{serve, RunningNode};
use devnode::ChainConfig;
use serde_json::json;

const CHUNKED_HEAD: &[u8] =
    b"POST / HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";

fn start() -> RunningNode {
    serve(ChainConfig::default(), "127.0.0.1:0".parse().unwrap()).unwrap()
}

fn assert_413(answer: &str) {
    assert!(
        answer.starts_with("HTTP/1.1 413 Payload Too Large"),
        "expected 413, got {answer:?}"
    );
    assert!(answer.contains("Connection: close"), "{answer}");
}

#[test]
fn a_chunk_size_that_would_wrap_the_cap_answers_413() {
    let node = start();
    // one byte so far, then a chunk of usize::MAX bytes: 1 + MAX wraps to 0
    let answer = exchange(
        &node,
        &[CHUNKED_HEAD, b"1\r\n{\r\n", b"ffffffffffffffff\r\n"],
    );
    assert_413(&answer);
    // as the first chunk too
    let answer = exchange(&node, &[CHUNKED_HEAD, b"ffffffffffffffff\r\n"]);
    assert_413(&answer);
    assert_eq!(ok(&node, "eth_chainId", json!([])), "0x64aba");
}

#[test]
fn chunks_adding_up_past_the_cap_answer_413() {
    let node = start();
    const CHUNK: usize = 1 << 20;
    assert_eq!(MAX_BODY % CHUNK, 0);
    let chunk = [b"100000\r\n".as_slice(), &vec![b' '; CHUNK], b"\r\n"].concat();
    let mut parts: Vec<&[u8]> = vec![CHUNKED_HEAD];
    parts.extend(std::iter::repeat_n(chunk.as_slice(), MAX_BODY / CHUNK));
    // exactly at the cap so far; one more byte is too many (refused before it is sent)
    parts.push(b"1\r\n");
    assert_413(&exchange(&node, &parts));
    assert_eq!(ok(&node, "eth_chainId", json!([])), "0x64aba");
}

#[test]
fn a_content_length_over_the_cap_answers_413() {
    let node = start();
    let head = format!(
        "POST / HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        MAX_BODY + 1
    );
    assert_413(&exchange(&node, &[head.as_bytes()]));
    let head = "POST / HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\n";
    assert_413(&exchange(&node, &[head.as_bytes()]));
}
