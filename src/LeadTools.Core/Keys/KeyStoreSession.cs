using System;
using System.Collections.Generic;
using System.IO;
using LeadTools.Core.State;

namespace LeadTools.Core.Keys
{
    /// <summary>
    /// The key store of a state folder, opened for reading or for a run that changes it (locked until disposed).
    /// Storage: one JSON Lines file (<c>keystore.jsonl</c>: a header with the schema version and the key count,
    /// then one entry per id), replaced atomically on save.
    /// </summary>
    public sealed class KeyStoreSession : IDisposable
    {
        /// <summary>The file name inside the state folder.</summary>
        public const string FileName = "keystore.jsonl";

        private StateLock? _lock;

        private KeyStoreSession(string folder, AlternateKeyStore store, StateLock? heldLock, IReadOnlyList<string> notes)
        {
            Folder = folder;
            Store = store;
            _lock = heldLock;
            RecoveryNotes = notes;
        }

        /// <summary>What was done about interrupted runs when the store was opened (completed, rolled back, still pending).</summary>
        public IReadOnlyList<string> RecoveryNotes { get; }

        /// <summary>The state folder.</summary>
        public string Folder { get; }

        /// <summary>The key-store file.</summary>
        public string FilePath => Path.Combine(Folder, FileName);

        /// <summary>The store.</summary>
        public AlternateKeyStore Store { get; }

        /// <summary>Opens the store; <paramref name="forWrite"/> takes the lock first (and keeps it until disposed).</summary>
        public static KeyStoreSession Open(string? statePath, bool forWrite)
        {
            var folder = StateFolder.Resolve(statePath);
            StateLock? held = forWrite ? StateLock.Acquire(folder, "keystore") : null;
            try
            {
                // Interrupted runs first (SPEC 9.3: the next run sees a run completed or never happened), under the lock.
                var notes = new List<string>();
                if (held != null) notes.AddRange(RunLedger.Recover(folder));
                else if (RunLedger.NeedsRecovery(folder)) notes.AddRange(RecoverReadOnly(folder));
                var store = AlternateKeyStore.Load(Path.Combine(folder, FileName));
                return new KeyStoreSession(folder, store, held, notes);
            }
            catch
            {
                held?.Dispose();
                throw;
            }
        }

        // A reader finishes an interrupted run too when no writer is running (a running writer does it itself).
        private static List<string> RecoverReadOnly(string folder)
        {
            StateLock held;
            try
            {
                held = StateLock.Acquire(folder, "keystore");
            }
            catch (StateLockedException)
            {
                return new List<string>();
            }
            using (held)
            {
                return RunLedger.Recover(folder);
            }
        }

        /// <summary>Saves when changed (only for sessions opened for writing).</summary>
        public void Save()
        {
            if (_lock == null) throw new InvalidOperationException("The key store was opened read-only.");
            if (!Store.IsDirty) return;
            // A run killed while saving leaves its temporary file; under the lock no other save is running, so clear them.
            foreach (var stale in Directory.GetFiles(Folder, "." + FileName + ".*.tmp"))
            {
                try
                {
                    File.Delete(stale);
                }
                catch (IOException)
                {
                }
            }
            Store.Save(FilePath);
        }

        /// <summary>Releases the lock.</summary>
        public void Dispose()
        {
            _lock?.Dispose();
            _lock = null;
        }
    }
}
