mod backoff;
mod damaged;
mod engine;
pub mod http;
mod protocol;
mod pull;
mod push;
mod round;
pub mod stub;
