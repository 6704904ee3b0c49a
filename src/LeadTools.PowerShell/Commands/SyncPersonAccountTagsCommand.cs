using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Conversion;
using LeadTools.Core.Export;
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

        /// <summary>Loads the configuration.</summary>
        protected override void BeginProcessing()
        {
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
            try
            {
                if (OperationPath != null)
                {
                    var path = GetUnresolvedProviderPathFromPSPath(OperationPath);
                    var operations = decisions.SelectMany(d => d.Operations).ToList();
                    if (ShouldProcess(path, $"Write {operations.Count} ActiveCampaign operation(s)"))
                    {
                        // Like -ChangeFolder: a folder that does not exist yet is created.
                        var folder = Path.GetDirectoryName(path);
                        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
                        using var writer = RecordWriter.Create(path, new ExportOptions { ObjectType = "contactTagOperation" });
                        foreach (var op in operations) writer.Write(op.ToRecord());
                        writer.Complete();
                    }
                }
                if (ChangeFolder != null)
                {
                    var folder = GetUnresolvedProviderPathFromPSPath(ChangeFolder);
                    var changes = new ChangeSet();
                    foreach (var d in decisions)
                    {
                        if (d.PersonAccountToCreate != null) changes.Insert(d.PersonAccountToCreate);
                        if (d.PersonAccountUpdate != null) changes.Update("Account", d.PersonAccountUpdate.Id!, d.PersonAccountUpdate);
                    }
                    if (changes.Count > 0 && ShouldProcess(folder, $"Write {changes.Count} person-account change(s)"))
                    {
                        foreach (var f in changes.Write(folder)) WriteVerbose("Wrote " + f);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(Errors.Create(ex, "CannotWriteFile", ErrorCategory.WriteError, OperationPath ?? ChangeFolder));
            }
        }
    }
}
