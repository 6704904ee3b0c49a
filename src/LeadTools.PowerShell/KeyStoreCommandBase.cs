using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using LeadTools.Core.Keys;
using LeadTools.Core.State;

namespace LeadTools.PowerShell
{
    /// <summary>Shared by the cmdlets that read or change the alternate key store: -StatePath and opening the store.</summary>
    public abstract class KeyStoreCommandBase : PSCmdlet
    {
        /// <summary>The state folder (key store, journals). Default: $env:LEADTOOLS_STATE, else the user's local application data folder (LeadTools).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? StatePath { get; set; }

        /// <summary>Opens the key store; a locked or damaged store ends the command with a clear error.</summary>
        protected KeyStoreSession OpenKeyStore(bool forWrite)
        {
            var path = StatePath == null ? null : GetUnresolvedProviderPathFromPSPath(StatePath);
            try
            {
                var session = KeyStoreSession.Open(path, forWrite);
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

        /// <summary>Saves the key store, ending the command with a clear error when it cannot be written.</summary>
        protected void SaveKeyStore(KeyStoreSession session)
        {
            try
            {
                session.Save();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(Errors.Create(ex, "StateWriteFailed", ErrorCategory.WriteError, session.FilePath));
            }
        }

        /// <summary>Ends the command with ChangeFolderInUse when the change folder holds another run's files (nothing changed yet).</summary>
        protected void CheckChangeFolder(string folder, string runId)
        {
            try
            {
                ChangeManifest.CheckFolder(folder, runId);
            }
            catch (ChangeFolderInUseException ex)
            {
                ThrowTerminatingError(Errors.Create(ex, "ChangeFolderInUse", ErrorCategory.ResourceExists, folder));
            }
        }

        /// <summary>
        /// Runs the commit protocol: <paramref name="stage"/> stages the run's files; then the run is committed and
        /// completed. Before the commit point a failure leaves nothing (ChangeFolderInUse, StateWriteFailed); after it the
        /// run is recorded and a failure to finish is RunPending (the next run completes it).
        /// </summary>
        protected IReadOnlyList<string> CommitRun(KeyStoreSession session, string runId, string command, string? changeFolder, Action<RunTransaction> stage)
        {
            IReadOnlyList<string> files = Array.Empty<string>();
            using (var run = RunTransaction.Begin(session.Folder, runId, command, changeFolder))
            {
                try
                {
                    stage(run);
                    files = run.Commit();
                }
                catch (ChangeFolderInUseException ex)
                {
                    ThrowTerminatingError(Errors.Create(ex, "ChangeFolderInUse", ErrorCategory.ResourceExists, changeFolder));
                }
                catch (RunPendingException ex)
                {
                    ThrowTerminatingError(Errors.Create(ex, "RunPending", ErrorCategory.WriteError, runId));
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    var e = new IOException($"Run {runId} could not be staged, so nothing of it was applied (state and change folder unchanged): {ex.Message}", ex);
                    ThrowTerminatingError(Errors.Create(e, "StateWriteFailed", ErrorCategory.WriteError, session.Folder));
                }
            }
            foreach (var f in files) WriteVerbose("Wrote " + f);
            WriteVerbose($"Run {runId} committed and completed; Export-CrmChangeSet -RunId {runId} writes its change files again.");
            return files;
        }
    }
}
