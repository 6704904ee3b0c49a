using System;
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
                return KeyStoreSession.Open(path, forWrite);
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
    }
}
