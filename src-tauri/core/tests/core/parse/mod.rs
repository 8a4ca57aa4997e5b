mod mentions;
