mod audio;
mod draft;
mod text;
