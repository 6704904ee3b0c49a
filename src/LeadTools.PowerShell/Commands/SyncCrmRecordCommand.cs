using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using LeadTools.Core.Conversion;
using LeadTools.Core.Import;
using LeadTools.Core.IO;
using LeadTools.Core.Records;
using LeadTools.Core.State;
using LeadTools.Core.Sync;
using Newtonsoft.Json.Linq;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Computes a two-way sync (SPEC 7) between a local snapshot and a Salesforce snapshot, saves the sync state and writes the change files.</para>
    /// </summary>
    [Cmdlet(VerbsData.Sync, "CrmRecord", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SyncChange))]
    public sealed class SyncCrmRecordCommand : PSCmdlet
    {
        /// <summary>The local (marketing) snapshot: a file in any format Import-CrmRecord reads.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string LocalPath { get; set; } = "";

        /// <summary>The Salesforce snapshot: a file in any format Import-CrmRecord reads.</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string SalesforcePath { get; set; } = "";

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

        /// <summary>Reads the snapshots, runs the sync, writes the changes (and with ShouldProcess the state and files).</summary>
        protected override void EndProcessing()
        {
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
            var local = Read(LocalPath);
            var sf = Read(SalesforcePath);
            using var session = OpenState();
            var result = SyncEngine.Run(local, sf, profile, session.State, DateTimeOffset.UtcNow);
            foreach (var s in result.Skipped) WriteWarning(s.ToString());
            foreach (var c in result.Changes) WriteObject(c);
            if (!ShouldProcess(session.FilePath, $"Save the sync state and write {result.Changes.Count} change(s)")) return;
            string? folder = ChangeFolder == null ? null : GetUnresolvedProviderPathFromPSPath(ChangeFolder);
            if (folder != null && result.Changes.Count > 0)
            {
                try
                {
                    foreach (var file in result.ToChangeSet(SyncSide.Salesforce).Write(folder)) WriteVerbose("Wrote " + file);
                    var localChanges = result.Changes.Where(c => c.Side == SyncSide.Local).ToList();
                    if (localChanges.Count > 0)
                    {
                        Directory.CreateDirectory(folder);
                        var path = Path.Combine(folder, "Local-changes.jsonl");
                        using (var w = new AtomicFileWriter(path))
                        {
                            using (var text = new StreamWriter(w.Stream, new UTF8Encoding(false), 65536, leaveOpen: true))
                            {
                                foreach (var c in localChanges) text.Write(ToJson(c).ToString(Newtonsoft.Json.Formatting.None) + "\n");
                            }
                            w.Commit();
                        }
                        WriteVerbose("Wrote " + path);
                    }
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    ThrowTerminatingError(Errors.Create(ex, "CannotWriteFile", ErrorCategory.WriteError, folder));
                }
            }
            try
            {
                session.Save(result.State);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(Errors.Create(ex, "StateWriteFailed", ErrorCategory.WriteError, session.FilePath));
            }
        }

        private static JObject ToJson(SyncChange c)
        {
            var fields = new JObject();
            foreach (var f in c.FieldsAfter) fields[f.Key] = f.Value == null ? JValue.CreateNull() : JToken.FromObject(f.Value);
            return new JObject
            {
                ["operation"] = c.Operation.ToString(),
                ["objectType"] = c.ObjectType,
                ["id"] = c.Id,
                ["fields"] = fields,
                ["step"] = c.Step,
                ["reason"] = c.Reason,
            };
        }

        private List<CrmRecord> Read(string p)
        {
            var file = GetUnresolvedProviderPathFromPSPath(p);
            if (!File.Exists(file))
            {
                ThrowTerminatingError(Errors.Create(new FileNotFoundException($"The snapshot '{file}' does not exist.", file), "FileNotFound", ErrorCategory.ObjectNotFound, file));
            }
            var reader = new RecordReader(new ImportOptions(), issue =>
            {
                if (issue.IsWarning) WriteWarning(issue.ToString());
                else WriteError(Errors.FromIssue(issue));
            });
            return reader.ReadFile(file).ToList();
        }

        private SyncStateSession OpenState()
        {
            var path = StatePath == null ? null : GetUnresolvedProviderPathFromPSPath(StatePath);
            try
            {
                return SyncStateSession.Open(path, forWrite: true);
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
