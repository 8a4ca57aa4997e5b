mod client;
mod session;
mod session_provider;
