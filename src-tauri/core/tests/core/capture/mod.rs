mod audio;
mod draft;
mod processing;
mod processor;
mod recording;
mod text;
mod voice;
