mod audio;
mod draft;
mod processor;
mod recording;
mod text;
mod voice;
