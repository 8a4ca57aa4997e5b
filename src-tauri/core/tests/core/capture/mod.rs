mod audio;
mod draft;
mod processor;
mod text;
mod voice;
