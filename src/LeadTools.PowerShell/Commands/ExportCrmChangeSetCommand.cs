using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Keys;
using LeadTools.Core.State;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Writes the change files of a committed run (Convert-LeadRecord, Merge-CrmRecord, Undo-CrmMerge, Sync-CrmRecord, Sync-PersonAccountTags) again, from the copy kept in the state folder.</para>
    /// </summary>
    [Cmdlet(VerbsData.Export, "CrmChangeSet", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportCrmChangeSetCommand : KeyStoreCommandBase
    {
        /// <summary>The run: RunId of Convert-LeadRecord's results, the part of Merge-CrmRecord's JournalEntryId before the colon, or the run in a change folder's manifest.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string RunId { get; set; } = string.Empty;

        /// <summary>The folder to write the change files into: empty, new, or holding this run's files.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [Alias("ChangeFolder")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Writes the run's files and manifest; completes the run when it was still waiting for them.</summary>
        protected override void ProcessRecord()
        {
            var runId = RunId.Split(':')[0];
            var folder = GetUnresolvedProviderPathFromPSPath(Path);
            var stateFolder = StateFolder.Resolve(StatePath == null ? null : GetUnresolvedProviderPathFromPSPath(StatePath));
            // Each ledger has its own lock: the key store's runs, Sync-CrmRecord's (sync-runs/), Sync-PersonAccountTags' (tag-runs/).
            var ledger = RunLedger.LedgerOf(stateFolder, runId) ?? RunLedger.KeyStoreLedger;
            using var held = ledger == RunLedger.KeyStoreLedger ? (IDisposable)OpenKeyStore(forWrite: true) : LockLedger(stateFolder, ledger); // the lock, and interrupted runs completed first
            if (!ShouldProcess(folder, $"Write the change files of run {runId}")) return;
            try
            {
                foreach (var f in RunLedger.Republish(stateFolder, runId, folder, ledger)) WriteObject(new FileInfo(f));
            }
            catch (FileNotFoundException ex)
            {
                WriteError(Errors.Create(ex, "RunNotFound", ErrorCategory.ObjectNotFound, runId));
            }
            catch (InvalidOperationException ex)
            {
                WriteError(Errors.Create(ex, "NoChangeFiles", ErrorCategory.InvalidOperation, runId));
            }
            catch (InvalidDataException ex)
            {
                WriteError(Errors.Create(ex, "StateCorrupt", ErrorCategory.InvalidData, runId));
            }
            catch (ChangeFolderInUseException ex)
            {
                WriteError(Errors.Create(ex, "ChangeFolderInUse", ErrorCategory.ResourceExists, folder));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                WriteError(Errors.Create(ex, "CannotWriteFile", ErrorCategory.WriteError, folder));
            }
        }

        private StateLock LockLedger(string stateFolder, string ledger)
        {
            var lockName = RunLedger.Ledgers.First(l => l.Key == ledger).Value;
            StateLock? held = null;
            try
            {
                held = StateLock.Acquire(stateFolder, lockName);
                foreach (var note in RunLedger.Recover(stateFolder, ledger)) WriteWarning(note);
                return held;
            }
            catch (StateLockedException ex)
            {
                ThrowTerminatingError(Errors.Create(ex, "StateLocked", ErrorCategory.ResourceBusy, stateFolder));
            }
            catch (InvalidDataException ex)
            {
                held?.Dispose();
                ThrowTerminatingError(Errors.Create(ex, "StateCorrupt", ErrorCategory.InvalidData, stateFolder));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                held?.Dispose();
                ThrowTerminatingError(Errors.Create(ex, "StateUnavailable", ErrorCategory.OpenError, stateFolder));
            }
            throw new InvalidOperationException("unreachable");
        }
    }
}
