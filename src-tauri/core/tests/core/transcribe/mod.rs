mod key_store;
mod openai;
mod response;
