using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using LeadTools.Core.Conversion;
using LeadTools.Core.Import;
using LeadTools.Core.Records;
using LeadTools.Core.State;
using LeadTools.Core.Sync;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Computes a two-way sync (SPEC 7) between a local snapshot and a Salesforce snapshot, saves the sync state and writes the change files.</para>
    /// </summary>
    [Cmdlet(VerbsData.Sync, "CrmRecord", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SyncChange))]
    public sealed class SyncCrmRecordCommand : PSCmdlet
    {
        /// <summary>The local (marketing) snapshot: a file in any format Import-CrmRecord reads. Or give -LocalRecord.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? LocalPath { get; set; }

        /// <summary>The local snapshot as records (Import-CrmRecord output or any objects with an object type), from the pipeline or as an array. Or give -LocalPath.</summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject[]? LocalRecord { get; set; }

        /// <summary>The Salesforce snapshot: a file in any format Import-CrmRecord reads. Or give -SalesforceRecord.</summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        public string? SalesforcePath { get; set; }

        /// <summary>The Salesforce snapshot as records (an array). Or give -SalesforcePath.</summary>
        [Parameter]
        public PSObject[]? SalesforceRecord { get; set; }

        /// <summary>Result files of the last run's pushed inserts (Data Loader success files, Bulk API results): each new Salesforce id is linked to the local record named in the external id column, and written back to it.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? InsertResultPath { get; set; }

        /// <summary>Remove id links whose local or Salesforce record is no longer in its snapshot. Only with complete snapshots (not exports of recent changes).</summary>
        [Parameter]
        public SwitchParameter PruneLinks { get; set; }

        /// <summary>The sync profile (JSON). Default: the built-in SPEC 7 table.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ProfilePath { get; set; }

        /// <summary>The state folder (syncstate.json). Default: $env:LEADTOOLS_STATE, else the user's local application data folder (LeadTools).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? StatePath { get; set; }

        /// <summary>Write the change files here: Salesforce changes as Data Loader CSV files, local changes as Local-changes.jsonl.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ChangeFolder { get; set; }

        /// <summary>Sync what could be read when a snapshot has errors (bad records, a cut file, one page of a larger result). Without it such a run stops before it saves or writes anything. A partial run inserts nothing into the side whose snapshot is incomplete, pushes no new events, prunes no link of a record that was not read, and keeps the watermarks, so the next complete run takes every record again.</summary>
        [Parameter]
        public SwitchParameter AllowPartialSnapshot { get; set; }

        /// <summary>When the snapshots were taken (the export's start): the next run takes every record modified after it. Default: per side and object, the newest modification time in the snapshot, never later than the file's last write time.</summary>
        [Parameter]
        public DateTimeOffset? SnapshotTime { get; set; }

        /// <summary>The Salesforce org the snapshot comes from (its org id, 00D...). The first run records it in the state; a run with another org's snapshot is refused (StateMismatch).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? SalesforceOrg { get; set; }

        /// <summary>The local (marketing platform) instance the local snapshot comes from. The first run records it; a run with another instance's snapshot is refused (StateMismatch).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? LocalInstance { get; set; }

        private readonly List<CrmRecord> _localRecords = new List<CrmRecord>();
        private int _localInputErrors;
        private int _salesforceInputErrors;
        private readonly System.Collections.Concurrent.ConcurrentQueue<RecordIssue> _snapshotIssues = new System.Collections.Concurrent.ConcurrentQueue<RecordIssue>();
        private bool _localPiped;
        private long _seen;
        private readonly string _runId = RunLedger.NewRunId();

        /// <summary>Collects the local records given on the pipeline or with -LocalRecord.</summary>
        protected override void ProcessRecord()
        {
            if (LocalRecord == null) return;
            _localPiped = true;
            foreach (var item in LocalRecord) AddRecord(_localRecords, item, "local");
        }

        private void AddRecord(List<CrmRecord> into, PSObject? item, string side)
        {
            _seen++;
            var r = RecordConversion.ToRecord(item, null);
            if (r == null)
            {
                if (side == "local") _localInputErrors++;
                else _salesforceInputErrors++;
                WriteError(Errors.Create(new ArgumentException($"Input {_seen} of the {side} snapshot is not a record."), "InputNotRecord", ErrorCategory.InvalidArgument, item));
                return;
            }
            if (string.IsNullOrEmpty(r.ObjectType))
            {
                if (side == "local") _localInputErrors++;
                else _salesforceInputErrors++;
                WriteError(Errors.Create(new ArgumentException($"Record {r.Id ?? "(no id)"} (input {_seen}) of the {side} snapshot has no object type: give records from Import-CrmRecord, or objects with an ObjectType property."), "ObjectTypeUnknown", ErrorCategory.InvalidData, item));
                return;
            }
            into.Add(r);
        }

        /// <summary>Reads the snapshots, runs the sync, writes the changes (and with ShouldProcess the state and files).</summary>
        protected override void EndProcessing()
        {
            if ((LocalPath == null) == !_localPiped || (SalesforcePath == null) == (SalesforceRecord == null))
            {
                var which = (LocalPath == null) == !_localPiped ? "local snapshot: -LocalPath or -LocalRecord (or records on the pipeline)" : "Salesforce snapshot: -SalesforcePath or -SalesforceRecord";
                ThrowTerminatingError(Errors.Create(new ArgumentException($"Give exactly one {which}."), "SnapshotParameters", ErrorCategory.InvalidArgument, null));
            }
            // A change folder holding another run's files is refused before anything is read or saved.
            string? folder = ChangeFolder == null ? null : GetUnresolvedProviderPathFromPSPath(ChangeFolder);
            if (folder != null) RunCommit.CheckChangeFolder(this, folder, _runId);
            var profile = SyncProfile.Default();
            if (ProfilePath != null)
            {
                try
                {
                    profile = SyncProfile.Load(GetUnresolvedProviderPathFromPSPath(ProfilePath));
                }
                catch (ConfigurationException ex)
                {
                    ThrowTerminatingError(Errors.Create(ex, "InvalidSyncProfile", ErrorCategory.InvalidData, ex.Key ?? ProfilePath));
                }
            }
            IEnumerable<CrmRecord> local = LocalPath != null ? Snapshot(LocalPath) : _localRecords;
            IEnumerable<CrmRecord> sf;
            if (SalesforcePath != null) sf = Snapshot(SalesforcePath);
            else
            {
                var records = new List<CrmRecord>();
                foreach (var item in SalesforceRecord!) AddRecord(records, item, "Salesforce");
                sf = records;
            }
            var options = new SyncRunOptions
            {
                PruneLinks = PruneLinks.IsPresent,
                SnapshotTime = SnapshotTime,
                LocalSnapshotIncomplete = _localInputErrors > 0,
                SalesforceSnapshotIncomplete = _salesforceInputErrors > 0,
                SalesforceOrg = SalesforceOrg,
                LocalInstance = LocalInstance,
            };
            foreach (var resultFile in InsertResultPath ?? Array.Empty<string>())
            {
                var file = GetUnresolvedProviderPathFromPSPath(resultFile);
                foreach (var link in SyncInsertResults.Read(file, profile.ExternalIdField, ReportIssue)) options.InsertResults.Add(link);
            }
            if (InsertResultPath != null) WriteVerbose($"Insert results: {options.InsertResults.Count} pushed record(s) linked to their Salesforce ids.");
            using var session = OpenState();
            SyncResult? result = null;
            Exception? failed = null;
            try
            {
                result = SyncEngine.Run(local, sf, profile, session.State, DateTimeOffset.UtcNow, options);
            }
            catch (SyncStateMismatchException ex)
            {
                ThrowTerminatingError(Errors.Create(ex, "StateMismatch", ErrorCategory.InvalidArgument, session.FilePath));
                return;
            }
            catch (Exception ex) when (ex is InvalidOperationException || ex is IOException || ex is UnauthorizedAccessException)
            {
                failed = ex;
            }
            // Problems with the snapshots, read on two threads, are written here on the pipeline thread.
            while (_snapshotIssues.TryDequeue(out var issue)) ReportIssue(issue);
            if (result == null)
            {
                // A snapshot file rewritten while the sync read it, or one that could not be read: nothing is saved or written.
                ThrowTerminatingError(Errors.Create(failed!, failed is InvalidOperationException ? "SnapshotChanged" : "SnapshotUnreadable", ErrorCategory.InvalidData, LocalPath ?? SalesforcePath));
                return;
            }
            if ((result.LocalSnapshotIncomplete || result.SalesforceSnapshotIncomplete) && !AllowPartialSnapshot)
            {
                // Saving now would move the watermark past the records on the lines that were not read: they would never sync.
                var which = new List<string>();
                if (result.LocalSnapshotIncomplete) which.Add($"the local snapshot ({LocalPath ?? "records given"})");
                if (result.SalesforceSnapshotIncomplete) which.Add($"the Salesforce snapshot ({SalesforcePath ?? "records given"})");
                ThrowTerminatingError(Errors.Create(new InvalidDataException(
                    $"{string.Join(" and ", which)} was not read completely (see the errors above): nothing was saved and no change file was written, so the next run takes these records again. Fix the snapshot, or give -AllowPartialSnapshot to sync what was read."),
                    "SnapshotIncomplete", ErrorCategory.InvalidData, LocalPath ?? SalesforcePath));
                return;
            }
            if (result.LocalSnapshotIncomplete || result.SalesforceSnapshotIncomplete)
            {
                WriteWarning("Partial run (-AllowPartialSnapshot): a snapshot was not read completely; inserts into its side are held back, the watermarks are kept, and no link of an unread record is pruned.");
            }
            foreach (var s in result.Skipped) WriteWarning(s.ToString());
            foreach (var link in result.PrunedLinks) WriteVerbose("Pruned link " + link + ": the record is gone from its snapshot.");
            if (PruneLinks) WriteVerbose($"Pruned {result.PrunedLinks.Count} stale link(s).");
            foreach (var c in result.Changes) WriteObject(c);
            var runFolder = folder != null && result.Changes.Count > 0 ? folder : null;
            if (!ShouldProcess(session.FilePath, $"Save the sync state and write {result.Changes.Count} change(s)" + (runFolder != null ? $" to {runFolder}" : string.Empty) + $" (run {_runId})")) return;
            // One run: the change files and the new state are staged in sync-runs/.<run>.staging and committed by one rename;
            // a run killed before it never happened, one killed after it is completed by the next run that opens the state.
            RunCommit.Run(this, _runId, session.Folder, runFolder, () => session.CommitRun(_runId, "Sync-CrmRecord", result.State, runFolder,
                runFolder == null ? null : run => run.StageChangeFiles(f => result.WriteChangeFilesWithCounts(f))));
        }

        // Read as the engine enumerates it (streamed; the local file may be read twice, problems reported once).
        private SyncSnapshot Snapshot(string p)
        {
            var file = GetUnresolvedProviderPathFromPSPath(p);
            if (!File.Exists(file))
            {
                ThrowTerminatingError(Errors.Create(new FileNotFoundException($"The snapshot '{file}' does not exist.", file), "FileNotFound", ErrorCategory.ObjectNotFound, file));
            }
            // The engine reads the two snapshots on two threads: problems are queued and written on the pipeline thread.
            return new SyncSnapshot(file, _snapshotIssues.Enqueue);
        }

        private void ReportIssue(RecordIssue issue)
        {
            if (issue.IsWarning) WriteWarning(issue.ToString());
            else WriteError(Errors.FromIssue(issue));
        }

        private SyncStateSession OpenState()
        {
            var path = StatePath == null ? null : GetUnresolvedProviderPathFromPSPath(StatePath);
            try
            {
                var session = SyncStateSession.Open(path, forWrite: true);
                foreach (var note in session.RecoveryNotes) WriteWarning(note);
                return session;
            }
            catch (StateLockedException ex)
            {
                ThrowTerminatingError(Errors.Create(ex, "StateLocked", ErrorCategory.ResourceBusy, StateFolder.Resolve(path)));
            }
            catch (InvalidDataException ex)
            {
                ThrowTerminatingError(Errors.Create(ex, "StateCorrupt", ErrorCategory.InvalidData, StateFolder.Resolve(path)));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(Errors.Create(ex, "StateUnavailable", ErrorCategory.OpenError, StateFolder.Resolve(path)));
            }
            throw new InvalidOperationException("unreachable");
        }
    }
}
