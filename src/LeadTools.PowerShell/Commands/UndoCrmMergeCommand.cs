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

        /// <summary>Reads the journal of each run, checks the undo order, restores the key store and writes the restored records.</summary>
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
                undone = MergeJournal.ReadUndone(_session.Folder, runId, all);
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
                MergeJournal.CheckUndoOrder(_session.Folder, runId, all, entries, undone);
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
            var changes = new ChangeSet();
            foreach (var r in results)
            {
                foreach (var record in r.Restored)
                {
                    if (r.Undeleted.Any(u => u.Id == record.Id)) changes.Undelete(record.ObjectType ?? "Record", record.Id!);
                    else if (r.Reinserted.Any(u => u.Id == record.Id))
                    {
                        var insert = record.Clone();
                        insert.Remove("Id");
                        changes.Insert(insert);
                    }
                    else changes.Update(record.ObjectType ?? "Record", record.Id!, record);
                }
                foreach (var id in r.ToDelete) changes.Delete("CampaignMember", id);
            }
            undone.UnionWith(entries.Select(e => e.EntryId));
            SaveKeyStore(_session);
            try
            {
                MergeJournal.WriteUndone(MergeJournal.UndoneFileOf(_session.Folder, runId), runId, undone, DateTime.UtcNow);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(Errors.Create(ex, "StateWriteFailed", ErrorCategory.WriteError, MergeJournal.UndoneFileOf(_session.Folder, runId)));
            }
            foreach (var r in results)
            {
                foreach (var record in r.Restored) WriteObject(RecordConversion.ToPSObject(record));
            }
            if (ChangeFolder != null)
            {
                var folder = GetUnresolvedProviderPathFromPSPath(ChangeFolder);
                try
                {
                    foreach (var f in changes.Write(folder)) WriteVerbose("Wrote " + f);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    ThrowTerminatingError(Errors.Create(ex, "CannotWriteFile", ErrorCategory.WriteError, folder));
                }
            }
        }

        /// <summary>Releases the lock.</summary>
        public void Dispose() => _session?.Dispose();
    }
}
