-- Voice memos in Supabase Storage: the private bucket `captures`, objects at
-- `<user_id>/<capture_id>.wav`, and policies confining each user to their own folder.
-- Idempotent (safe to apply twice). Supabase owns `storage.*` and has row-level security on
-- `storage.objects` already; this file only adds a bucket row and policies.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('captures', 'captures', false, 52428800, array['audio/wav', 'audio/x-wav', 'audio/wave'])
on conflict (id) do nothing;

-- The first folder of the object's name is its owner. Upsert (`x-upsert: true`) needs
-- select + insert + update.
drop policy if exists "captures: owner reads" on storage.objects;
create policy "captures: owner reads" on storage.objects
    for select to authenticated
    using (bucket_id = 'captures' and (storage.foldername(name))[1] = auth.uid()::text);

drop policy if exists "captures: owner uploads" on storage.objects;
create policy "captures: owner uploads" on storage.objects
    for insert to authenticated
    with check (bucket_id = 'captures' and (storage.foldername(name))[1] = auth.uid()::text);

drop policy if exists "captures: owner replaces" on storage.objects;
create policy "captures: owner replaces" on storage.objects
    for update to authenticated
    using (bucket_id = 'captures' and (storage.foldername(name))[1] = auth.uid()::text)
    with check (bucket_id = 'captures' and (storage.foldername(name))[1] = auth.uid()::text);

drop policy if exists "captures: owner deletes" on storage.objects;
create policy "captures: owner deletes" on storage.objects
    for delete to authenticated
    using (bucket_id = 'captures' and (storage.foldername(name))[1] = auth.uid()::text);
