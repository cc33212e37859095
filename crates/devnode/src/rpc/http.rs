//! A small HTTP/1.1 server over `std::net`: one thread per connection, keep-alive,
//! `Content-Length` and chunked request bodies, `Expect: 100-continue`, CORS.
//!
//! Only what JSON-RPC clients (curl, reqwest/alloy, fetch/viem, ethers) send is supported:
//! `POST` with a JSON body answers through the handler; `OPTIONS` answers a CORS preflight;
//! any other method gets `405`.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// Largest accepted request body (deploying big programs needs a few MiB).
pub const MAX_BODY: usize = 64 << 20;
const MAX_HEADER_LINE: usize = 16 << 10;
const MAX_HEADERS: usize = 128;
/// How often idle connections look at the stop flag.
const POLL: Duration = Duration::from_millis(200);

/// Answers a request body (JSON-RPC) with a response body; `None` = 204 (notifications only).
pub type Handler = Arc<dyn Fn(&[u8]) -> Option<Vec<u8>> + Send + Sync>;

pub struct HttpServer {
    pub addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

impl HttpServer {
    pub fn bind(addr: SocketAddr, handler: Handler) -> io::Result<Self> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let accept = thread::Builder::new()
            .name("devnode-http".into())
            .spawn(move || {
                for conn in listener.incoming() {
                    if flag.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = conn else { continue };
                    let handler = handler.clone();
                    let flag = flag.clone();
                    let _ = thread::Builder::new()
                        .name("devnode-conn".into())
                        .spawn(move || {
                            let _ = serve_connection(stream, &handler, &flag);
                        });
                }
            })?;
        Ok(Self {
            addr,
            stop,
            accept: Some(accept),
        })
    }

    /// Stops accepting connections; open connections close at their next idle poll.
    pub fn shutdown(&mut self) {
        if self.stop.swap(true, Ordering::SeqCst) {
            return;
        }
        // wake the accept loop
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.shutdown();
    }
}

struct Request {
    method: String,
    body: Vec<u8>,
    keep_alive: bool,
}

enum ReadError {
    /// Connection closed (or stop requested) before a request started.
    Closed,
    /// Malformed HTTP: answer 400 and close.
    Bad(&'static str),
    /// The body would exceed [`MAX_BODY`] (Content-Length or the chunks so far): answer 413 and
    /// close, before reading it.
    TooLarge,
    Io,
}

fn serve_connection(stream: TcpStream, handler: &Handler, stop: &AtomicBool) -> io::Result<()> {
    stream.set_read_timeout(Some(POLL))?;
    stream.set_nodelay(true)?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    loop {
        let request = match read_request(&mut reader, &mut writer, stop) {
            Ok(r) => r,
            Err(ReadError::Closed) | Err(ReadError::Io) => return Ok(()),
            Err(ReadError::Bad(why)) => {
                write_response(
                    &mut writer,
                    "400 Bad Request",
                    "text/plain",
                    why.as_bytes(),
                    false,
                )?;
                return Ok(());
            }
            Err(ReadError::TooLarge) => {
                let why = format!("devnode: request body exceeds {MAX_BODY} bytes");
                write_response(
                    &mut writer,
                    "413 Payload Too Large",
                    "text/plain",
                    why.as_bytes(),
                    false,
                )?;
                return Ok(());
            }
        };
        match request.method.as_str() {
            "POST" => match handler(&request.body) {
                Some(body) => write_response(
                    &mut writer,
                    "200 OK",
                    "application/json",
                    &body,
                    request.keep_alive,
                )?,
                None => write_response(&mut writer, "204 No Content", "", b"", request.keep_alive)?,
            },
            "OPTIONS" => write_response(&mut writer, "200 OK", "", b"", request.keep_alive)?,
            _ => write_response(
                &mut writer,
                "405 Method Not Allowed",
                "text/plain",
                b"devnode: send JSON-RPC requests with POST",
                request.keep_alive,
            )?,
        }
        if !request.keep_alive {
            return Ok(());
        }
    }
}

/// Reads one line (CRLF or LF), retrying on read timeouts; `Closed` on EOF before any byte.
fn read_line(
    reader: &mut BufReader<TcpStream>,
    stop: &AtomicBool,
    started: bool,
) -> Result<String, ReadError> {
    let mut line = Vec::new();
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                if stop.load(Ordering::SeqCst) {
                    return Err(ReadError::Closed);
                }
                continue;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(ReadError::Io),
        };
        if available.is_empty() {
            return if line.is_empty() && !started {
                Err(ReadError::Closed)
            } else {
                Err(ReadError::Io)
            };
        }
        let (used, done) = match available.iter().position(|b| *b == b'\n') {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        line.extend_from_slice(&available[..used]);
        reader.consume(used);
        if line.len() > MAX_HEADER_LINE {
            return Err(ReadError::Bad("header line too long"));
        }
        if done {
            while matches!(line.last(), Some(b'\n' | b'\r')) {
                line.pop();
            }
            return String::from_utf8(line).map_err(|_| ReadError::Bad("header is not UTF-8"));
        }
    }
}

fn read_exact(
    reader: &mut BufReader<TcpStream>,
    stop: &AtomicBool,
    out: &mut Vec<u8>,
    mut n: usize,
) -> Result<(), ReadError> {
    let mut buf = [0u8; 16 << 10];
    while n > 0 {
        let want = n.min(buf.len());
        match reader.read(&mut buf[..want]) {
            Ok(0) => return Err(ReadError::Io),
            Ok(k) => {
                out.extend_from_slice(&buf[..k]);
                n -= k;
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                if stop.load(Ordering::SeqCst) {
                    return Err(ReadError::Io);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return Err(ReadError::Io),
        }
    }
    Ok(())
}

fn read_request(
    reader: &mut BufReader<TcpStream>,
    writer: &mut TcpStream,
    stop: &AtomicBool,
) -> Result<Request, ReadError> {
    // skip blank lines between requests
    let mut start = read_line(reader, stop, false)?;
    while start.is_empty() {
        start = read_line(reader, stop, false)?;
    }
    let mut parts = start.split_whitespace();
    let method = parts
        .next()
        .ok_or(ReadError::Bad("empty request line"))?
        .to_string();
    let _target = parts.next().ok_or(ReadError::Bad("no request target"))?;
    let version = parts.next().unwrap_or("HTTP/1.0");
    let mut keep_alive = version == "HTTP/1.1";
    let mut content_length: Option<usize> = None;
    let mut chunked = false;
    let mut expect_continue = false;
    for i in 0.. {
        if i > MAX_HEADERS {
            return Err(ReadError::Bad("too many headers"));
        }
        let line = read_line(reader, stop, true)?;
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(ReadError::Bad("malformed header"));
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => {
                content_length = Some(
                    value
                        .parse()
                        .map_err(|_| ReadError::Bad("bad content-length"))?,
                )
            }
            "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
            "connection" => {
                let v = value.to_ascii_lowercase();
                if v.contains("close") {
                    keep_alive = false;
                } else if v.contains("keep-alive") {
                    keep_alive = true;
                }
            }
            "expect" => expect_continue = value.eq_ignore_ascii_case("100-continue"),
            _ => {}
        }
    }
    if expect_continue {
        writer
            .write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
            .map_err(|_| ReadError::Io)?;
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let size_line = read_line(reader, stop, true)?;
            let size_hex = size_line.split(';').next().unwrap_or("").trim();
            let size = usize::from_str_radix(size_hex, 16)
                .map_err(|_| ReadError::Bad("bad chunk size"))?;
            body_size_after(body.len(), size)?;
            if size == 0 {
                // trailers until a blank line
                while !read_line(reader, stop, true)?.is_empty() {}
                break;
            }
            read_exact(reader, stop, &mut body, size)?;
            read_line(reader, stop, true)?; // CRLF after the chunk
        }
    } else if let Some(n) = content_length {
        body_size_after(0, n)?;
        body.reserve(n);
        read_exact(reader, stop, &mut body, n)?;
    }
    Ok(Request {
        method,
        body,
        keep_alive,
    })
}

/// The body size after adding `more` bytes to `so_far`, or `TooLarge` past [`MAX_BODY`].
/// Checked: a chunk size of `ffffffffffffffff` must not wrap around the cap.
fn body_size_after(so_far: usize, more: usize) -> Result<usize, ReadError> {
    so_far
        .checked_add(more)
        .filter(|n| *n <= MAX_BODY)
        .ok_or(ReadError::TooLarge)
}

fn write_response(
    w: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status}\r\n\
         Access-Control-Allow-Origin: *\r\n\
         Access-Control-Allow-Methods: POST, GET, OPTIONS\r\n\
         Access-Control-Allow-Headers: *\r\n\
         Access-Control-Max-Age: 86400\r\n\
         Content-Length: {}\r\n\
         Connection: {}\r\n",
        body.len(),
        if keep_alive { "keep-alive" } else { "close" }
    );
    if !content_type.is_empty() {
        head.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    out.extend_from_slice(body);
    w.write_all(&out)?;
    w.flush()
}
