using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using LeadTools.Core.State;

namespace LeadTools.PowerShell
{
    /// <summary>The error ids of the commit protocol, for cmdlets that are not key-store commands (the two sync cmdlets).</summary>
    internal static class RunCommit
    {
        /// <summary>Ends the command with ChangeFolderInUse when the change folder holds another run's files (nothing changed yet).</summary>
        internal static void CheckChangeFolder(PSCmdlet cmdlet, string folder, string runId)
        {
            try
            {
                ChangeManifest.CheckFolder(folder, runId);
            }
            catch (ChangeFolderInUseException ex)
            {
                cmdlet.ThrowTerminatingError(Errors.Create(ex, "ChangeFolderInUse", ErrorCategory.ResourceExists, folder));
            }
        }

        /// <summary>
        /// Runs <paramref name="commit"/> (a <see cref="RunTransaction"/> staged and committed). Before the commit point a
        /// failure leaves nothing (ChangeFolderInUse, StateWriteFailed); after it the run is recorded and a failure to
        /// finish is RunPending (the next run completes it).
        /// </summary>
        internal static IReadOnlyList<string> Run(PSCmdlet cmdlet, string runId, string stateFolder, string? changeFolder, Func<IReadOnlyList<string>> commit)
        {
            try
            {
                var files = commit();
                foreach (var f in files) cmdlet.WriteVerbose("Wrote " + f);
                cmdlet.WriteVerbose($"Run {runId} committed and completed" + (changeFolder != null ? $"; Export-CrmChangeSet -RunId {runId} writes its change files again." : "."));
                return files;
            }
            catch (ChangeFolderInUseException ex)
            {
                cmdlet.ThrowTerminatingError(Errors.Create(ex, "ChangeFolderInUse", ErrorCategory.ResourceExists, changeFolder));
            }
            catch (RunPendingException ex)
            {
                cmdlet.ThrowTerminatingError(Errors.Create(ex, "RunPending", ErrorCategory.WriteError, runId));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                var e = new IOException($"Run {runId} could not be staged, so nothing of it was applied (state and change folder unchanged): {ex.Message}", ex);
                cmdlet.ThrowTerminatingError(Errors.Create(e, "StateWriteFailed", ErrorCategory.WriteError, stateFolder));
            }
            throw new InvalidOperationException("unreachable");
        }
    }
}
