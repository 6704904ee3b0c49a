using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Export;
using LeadTools.Core.Keys;
using LeadTools.Core.Merge;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Undoes a merge run (or one merge of it) from its journal: gives back the exact pre-merge records and restores the key store.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Undo, "CrmMerge", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(PSObject))]
    public sealed class UndoCrmMergeCommand : KeyStoreCommandBase, IDisposable
    {
        private KeyStoreSession? _session;
        private readonly string _undoRun = Core.State.RunLedger.NewRunId();
        private readonly ChangeSet _changes = new ChangeSet();
        private readonly Dictionary<string, HashSet<string>> _undoneByRun = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        private readonly HashSet<string> _undoneThisCall = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<UndoResult> _results = new List<UndoResult>();

        /// <summary>The merge run to undo (Merge-CrmRecord's journal run id; see JournalEntryId on its results, before the colon).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string RunId { get; set; } = string.Empty;

        /// <summary>Undo only these entries of the run ("run:n", from JournalEntryId).</summary>
        [Parameter]
        [Alias("JournalEntryId")]
        public string[]? EntryId { get; set; }

        /// <summary>Write the CRM change files (updates back, undeletes, re-inserts, deletes of re-inserted memberships) into this folder.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ChangeFolder { get; set; }

        /// <summary>Checks the change folder before anything is read.</summary>
        protected override void BeginProcessing()
        {
            if (ChangeFolder != null) CheckChangeFolder(GetUnresolvedProviderPathFromPSPath(ChangeFolder), _undoRun);
        }

        /// <summary>Reads the journal of each run, checks the undo order and undoes it in memory; the call commits once, at the end.</summary>
        protected override void ProcessRecord()
        {
            _session ??= OpenKeyStore(forWrite: true);
            var runId = RunId.Split(':')[0];
            var path = MergeJournal.FileOf(_session.Folder, runId);
            List<JournalEntry> all;
            HashSet<string> undone;
            try
            {
                all = MergeJournal.Read(path);
                undone = _undoneByRun.TryGetValue(runId, out var inCall) ? inCall : MergeJournal.ReadUndone(_session.Folder, runId, all);
            }
            catch (FileNotFoundException ex)
            {
                ThrowTerminatingError(Errors.Create(ex, "JournalNotFound", ErrorCategory.ObjectNotFound, RunId));
                return;
            }
            catch (InvalidDataException ex)
            {
                ThrowTerminatingError(Errors.Create(ex, "StateCorrupt", ErrorCategory.InvalidData, path));
                return;
            }
            List<JournalEntry> entries;
            if (EntryId != null)
            {
                var missing = EntryId.Where(id => all.All(e => e.EntryId != id)).ToList();
                foreach (var m in missing) WriteError(Errors.Create(new ItemNotFoundException($"Journal {RunId} has no entry {m}."), "JournalEntryNotFound", ErrorCategory.ObjectNotFound, m));
                // Each entry is undone at most once.
                foreach (var again in EntryId.Where(undone.Contains).Distinct())
                {
                    WriteError(Errors.Create(new InvalidOperationException($"Merge {again} of run {runId} was already undone; it is not undone twice."), "AlreadyUndone", ErrorCategory.InvalidOperation, again));
                }
                entries = all.Where(e => EntryId.Contains(e.EntryId) && !undone.Contains(e.EntryId)).ToList();
            }
            else
            {
                if (all.Count > 0 && all.All(e => undone.Contains(e.EntryId)))
                {
                    ThrowTerminatingError(Errors.Create(new InvalidOperationException($"Merge run {runId} was already undone ({all.Count} merge(s)); it is not undone twice."), "AlreadyUndone", ErrorCategory.InvalidOperation, RunId));
                }
                entries = all.Where(e => !undone.Contains(e.EntryId)).ToList();
            }
            if (entries.Count == 0) return;
            try
            {
                MergeJournal.CheckUndoOrder(_session.Folder, runId, all, entries, undone, _undoneThisCall);
            }
            catch (UndoConflictException ex)
            {
                ThrowTerminatingError(Errors.Create(ex, "UndoOrderConflict", ErrorCategory.InvalidOperation, ex.LaterRunId ?? RunId));
            }
            catch (InvalidDataException ex)
            {
                ThrowTerminatingError(Errors.Create(ex, "StateCorrupt", ErrorCategory.InvalidData, MergeJournal.Folder(_session.Folder)));
            }
            if (!ShouldProcess(_session.Folder, $"Undo {entries.Count} merge(s) of run {runId}: restore the key store{(ChangeFolder != null ? " and write change files" : string.Empty)}")) return;
            List<UndoResult> results;
            try
            {
                results = MergeJournal.Undo(entries, _session.Store);
            }
            catch (UndoConflictException ex)
            {
                ThrowTerminatingError(Errors.Create(ex, "UndoOrderConflict", ErrorCategory.InvalidOperation, RunId));
                return;
            }
            foreach (var r in results)
            {
                foreach (var record in r.Restored)
                {
                    if (r.Undeleted.Any(u => u.Id == record.Id)) _changes.Undelete(record.ObjectType ?? "Record", record.Id!);
                    else if (r.Reinserted.Any(u => u.Id == record.Id))
                    {
                        var insert = record.Clone();
                        insert.Remove("Id");
                        _changes.Insert(insert);
                    }
                    else _changes.Update(record.ObjectType ?? "Record", record.Id!, record);
                }
                foreach (var id in r.ToDelete) _changes.Delete("CampaignMember", id);
            }
            undone.UnionWith(entries.Select(e => e.EntryId));
            _undoneByRun[runId] = undone;
            _undoneThisCall.UnionWith(entries.Select(e => e.EntryId));
            _results.AddRange(results);
        }

        /// <summary>Commits the call as one run: the undo records, the key store and the change files together.</summary>
        protected override void EndProcessing()
        {
            if (_results.Count == 0) return;
            var folder = ChangeFolder != null ? GetUnresolvedProviderPathFromPSPath(ChangeFolder) : null;
            CommitRun(_session!, _undoRun, "Undo-CrmMerge " + string.Join(" ", _undoneByRun.Keys), folder, run =>
            {
                if (folder != null) run.StageChanges(_changes);
                foreach (var kv in _undoneByRun)
                {
                    run.StageState("journal/" + kv.Key + ".jsonl.undone", p => MergeJournal.WriteUndone(p, kv.Key, kv.Value, DateTime.UtcNow));
                }
                run.StageState(KeyStoreSession.FileName, p => _session!.Store.Save(p));
            });
            foreach (var r in _results)
            {
                foreach (var record in r.Restored) WriteObject(RecordConversion.ToPSObject(record));
            }
        }

        /// <summary>Releases the lock.</summary>
        public void Dispose() => _session?.Dispose();
    }
}
