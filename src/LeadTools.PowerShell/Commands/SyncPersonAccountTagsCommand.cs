using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Conversion;
using LeadTools.Core.Export;
using LeadTools.Core.State;
using LeadTools.Core.Tags;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Reconciles ActiveCampaign contacts with Salesforce person accounts: per contact its sync mode, the tags to remove and add, the two-way field updates (ActiveCampaign API v3 operations and Salesforce change files), person accounts to create in Salesforce and contacts to create in ActiveCampaign.</para>
    /// </summary>
    [Cmdlet(VerbsData.Sync, "PersonAccountTags", SupportsShouldProcess = true)]
    [OutputType(typeof(TagDecision), typeof(OutboundDecision))]
    public sealed class SyncPersonAccountTagsCommand : PSCmdlet
    {
        private TagReconciler? _reconciler;
        private readonly string _runId = RunLedger.NewRunId();

        /// <summary>ActiveCampaign contacts, tags and contactTags (Import-CrmRecord of the API v3 JSON), Salesforce person accounts and converted leads, in any order.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

        /// <summary>The tag configuration file (JSON; schema in docs/tag-config-schema.md). Default: the integration's tag names, always-update mapping, outbound None.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ConfigPath { get; set; }

        /// <summary>Also write the outbound decision for every Salesforce person account given.</summary>
        [Parameter]
        public SwitchParameter IncludeOutbound { get; set; }

        /// <summary>Write the ActiveCampaign API operations (contactTag deletes and adds, contact updates and creates, with method, path and request body) to this file (.json, .jsonl or .csv).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OperationPath { get; set; }

        /// <summary>Write the Salesforce change files (Account-insert.csv for requested person accounts, Account-update.csv for the fields Salesforce gets) into this folder.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ChangeFolder { get; set; }

        /// <summary>The state folder that records the runs writing -ChangeFolder and -OperationPath (tag-runs/), so an interrupted run is completed or rolled back by the next one. Default: $env:LEADTOOLS_STATE, else the user's local application data folder (LeadTools).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? StatePath { get; set; }

        /// <summary>Loads the configuration.</summary>
        protected override void BeginProcessing()
        {
            // A change folder holding another run's files is refused before anything is read.
            if (ChangeFolder != null) RunCommit.CheckChangeFolder(this, GetUnresolvedProviderPathFromPSPath(ChangeFolder), _runId);
            var config = TagConfig.Default();
            if (ConfigPath != null)
            {
                try
                {
                    config = TagConfig.Load(GetUnresolvedProviderPathFromPSPath(ConfigPath));
                }
                catch (ConfigurationException ex)
                {
                    ThrowTerminatingError(Errors.Create(ex, "InvalidTagConfig", ErrorCategory.InvalidData, ex.Key ?? ConfigPath));
                }
            }
            _reconciler = new TagReconciler(config);
        }

        /// <summary>Collects the records.</summary>
        protected override void ProcessRecord()
        {
            foreach (var item in InputObject)
            {
                var r = RecordConversion.ToRecord(item, null);
                if (r != null) _reconciler!.Add(r);
            }
        }

        /// <summary>Decides, writes the results, and the files unless -WhatIf.</summary>
        protected override void EndProcessing()
        {
            var decisions = _reconciler!.Decide().ToList();
            foreach (var d in decisions)
            {
                // A problem stops only its own part (a request, a link); the decision and every other contact go on.
                if (d.ProblemId != null)
                {
                    WriteError(Errors.Create(new InvalidDataException(d.Problem), d.ProblemId, ErrorCategory.InvalidData, d.ContactId ?? d.AccountId));
                }
                if (d.UnknownTagLinks.Count > 0)
                {
                    WriteWarning($"ActiveCampaign contact {d.ContactId}: contactTag link(s) {string.Join(", ", d.UnknownTagLinks)} name a tag id that is not in the export's tags; those tags are not counted.");
                }
                WriteObject(d);
            }
            if (IncludeOutbound.IsPresent)
            {
                foreach (var o in _reconciler.OutboundDecisions()) WriteObject(o);
            }
            var operationPath = OperationPath == null ? null : GetUnresolvedProviderPathFromPSPath(OperationPath);
            var changeFolder = ChangeFolder == null ? null : GetUnresolvedProviderPathFromPSPath(ChangeFolder);
            if (operationPath == null && changeFolder == null) return;
            var operations = decisions.SelectMany(d => d.Operations).ToList();
            var changes = new ChangeSet();
            foreach (var d in decisions)
            {
                if (d.PersonAccountToCreate != null) changes.Insert(d.PersonAccountToCreate);
                if (d.PersonAccountUpdate != null) changes.Update("Account", d.PersonAccountUpdate.Id!, d.PersonAccountUpdate);
            }
            // An operations file inside the change folder is one of the run's change files (listed in the manifest).
            var operationsInFolder = operationPath != null && changeFolder != null &&
                string.Equals(Path.GetDirectoryName(Path.GetFullPath(operationPath)), Path.GetFullPath(changeFolder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar), StringComparison.Ordinal);
            var runFolder = changeFolder != null && (changes.Count > 0 || operationsInFolder) ? changeFolder : null;
            if (operationPath == null && runFolder == null) return; // no person-account change: the folder is not touched
            var what = new List<string>();
            if (operationPath != null) what.Add($"{operations.Count} ActiveCampaign operation(s) to {operationPath}");
            if (changes.Count > 0) what.Add($"{changes.Count} person-account change(s) to {changeFolder}");
            if (!ShouldProcess(runFolder ?? operationPath!, $"Write {string.Join(" and ", what)} (run {_runId})")) return;
            var stateFolder = StateFolder.Resolve(StatePath == null ? null : GetUnresolvedProviderPathFromPSPath(StatePath));
            using var held = LockRuns(stateFolder);
            // Operations file and change files are one run (tag-runs/ in the state folder): staged, committed by one
            // rename, then published; a run killed before the commit point never happened, one killed after it is completed.
            RunCommit.Run(this, _runId, stateFolder, runFolder, () =>
            {
                using var run = RunTransaction.Begin(stateFolder, _runId, "Sync-PersonAccountTags", runFolder, RunLedger.TagLedger);
                if (runFolder != null)
                {
                    run.StageChangeFiles(folder =>
                    {
                        var files = changes.Count > 0 ? changes.WriteFiles(folder).ToList() : new List<(string Path, long? Records)>();
                        if (operationsInFolder)
                        {
                            var staged = Path.Combine(folder, Path.GetFileName(operationPath!));
                            if (files.Any(f => string.Equals(Path.GetFileName(f.Path), Path.GetFileName(staged), StringComparison.OrdinalIgnoreCase)) || Path.GetFileName(staged) == ChangeManifest.FileName)
                            {
                                throw new IOException($"-OperationPath {operationPath} is the name of one of the run's change files; give the operations file another name.");
                            }
                            WriteOperations(staged, operations);
                            files.Add((staged, operations.Count));
                        }
                        return files;
                    });
                }
                if (operationPath != null && !operationsInFolder) run.StageOutput(operationPath, operations.Count, p => WriteOperations(p, operations));
                return run.Commit();
            });
        }

        private static void WriteOperations(string path, List<TagOperation> operations)
        {
            using var writer = RecordWriter.Create(path, new ExportOptions { ObjectType = "contactTagOperation" });
            foreach (var op in operations) writer.Write(op.ToRecord());
            writer.Complete();
        }

        // The tag-runs lock for the whole commit; interrupted runs are finished first, with a warning each.
        private StateLock LockRuns(string stateFolder)
        {
            StateLock? held = null;
            try
            {
                held = StateLock.Acquire(stateFolder, "tagsync");
                foreach (var note in RunLedger.Recover(stateFolder, RunLedger.TagLedger)) WriteWarning(note);
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
