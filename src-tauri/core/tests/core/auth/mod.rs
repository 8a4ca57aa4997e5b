mod client;
mod session;
