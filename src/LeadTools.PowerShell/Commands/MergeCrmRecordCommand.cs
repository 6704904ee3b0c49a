using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Conversion;
using LeadTools.Core.Export;
using LeadTools.Core.Funnel;
using LeadTools.Core.Keys;
using LeadTools.Core.Merge;
using LeadTools.Core.Records;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Merges groups of duplicate records (lead+lead, contact+contact) into a survivor without losing data: a journal with full before-images is written first, so Undo-CrmMerge can restore everything.</para>
    /// </summary>
    [Cmdlet(VerbsData.Merge, "CrmRecord", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = GroupSet)]
    [OutputType(typeof(CrmMergeResult))]
    public sealed class MergeCrmRecordCommand : KeyStoreCommandBase, IDisposable
    {
        private const string GroupSet = "Group";
        private const string ExplicitSet = "Explicit";
        private KeyStoreSession? _session;
        private MergeEngine? _engine;
        private MergeOptions? _options;
        private readonly List<JournalEntry> _journal = new List<JournalEntry>();
        private readonly ChangeSet _changes = new ChangeSet();
        private int _groups;
        private bool _survivorIdGivenExplicitly;

        /// <summary>The records of one group (binds by property name from Find-CrmDuplicate output: Members/Records).</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = GroupSet)]
        [Alias("Members", "Records")]
        public PSObject[] Record { get; set; } = Array.Empty<PSObject>();

        /// <summary>The survivor's id within the group (binds by property name: SurvivorId/SuggestedSurvivorId). Omit to apply the survivor rules.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = GroupSet)]
        [Alias("SuggestedSurvivorId")]
        public string? SurvivorId { get; set; }

        /// <summary>A label for the group (binds by property name: GroupId).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = GroupSet)]
        public string? GroupId { get; set; }

        /// <summary>The survivor (master) record.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ExplicitSet)]
        public PSObject Survivor { get; set; } = null!;

        /// <summary>The duplicates merged into it.</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ExplicitSet)]
        public PSObject[] Duplicate { get; set; } = Array.Empty<PSObject>();

        /// <summary>Children and context: campaign members, tasks, events, contact roles, email results, opportunities, campaigns.</summary>
        [Parameter]
        public PSObject[]? RelatedRecord { get; set; }

        /// <summary>Ordered survivor rules: OldestCreated (default), NewestModified, MostComplete, HasActiveResponse, RecordType=&lt;id&gt;, FieldValue:&lt;Field&gt;=&lt;value&gt;.</summary>
        [Parameter]
        public string[]? SurvivorRule { get; set; }

        /// <summary>Field rules: a hashtable of field name to KeepSurvivor, FillBlanks, Newest, Oldest, Largest, Smallest or Union.</summary>
        [Parameter]
        public Hashtable? FieldRule { get; set; }

        /// <summary>The rule for fields not named (default KeepSurvivor).</summary>
        [Parameter]
        public Core.Merge.FieldRule? DefaultFieldRule { get; set; }

        /// <summary>A JSON merge rules file (survivorRules, fieldRules, defaultFieldRule); parameters override it.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? RulesPath { get; set; }

        /// <summary>The funnel status configuration (object or path). Without it, statuses and responses are left alone; memberships are still de-duplicated.</summary>
        [Parameter]
        [FunnelConfigTransformation]
        public FunnelConfig? Config { get; set; }

        /// <summary>The user doing the merge runs in passive mode (seed 001); also the configuration's passive.mergingUser.</summary>
        [Parameter]
        public SwitchParameter PassiveUser { get; set; }

        /// <summary>The status the admin picks for the survivors (default: each survivor's own).</summary>
        [Parameter]
        public string? SelectedStatus { get; set; }

        /// <summary>Write the CRM change files (updates of survivors and children, deletes of losers and destroyed memberships, inserts of re-inserted ones, archived opportunities) into this folder.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ChangeFolder { get; set; }

        /// <summary>Groups of more records than this are refused (a large group is usually different people chained together) unless -Force. Default 10.</summary>
        [Parameter]
        [ValidateRange(2, int.MaxValue)]
        public int MaxGroupSize { get; set; } = 10;

        /// <summary>Merge groups larger than -MaxGroupSize too.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Sets up the rules, the engine and the key store (locked for the run).</summary>
        protected override void BeginProcessing()
        {
            var rules = new MergeRules();
            try
            {
                if (RulesPath != null) rules = MergeRules.Load(GetUnresolvedProviderPathFromPSPath(RulesPath));
                rules.With(SurvivorRule, FieldRule, DefaultFieldRule);
            }
            catch (ConfigurationException ex)
            {
                ThrowTerminatingError(Errors.Create(ex, "InvalidMergeRules", ErrorCategory.InvalidArgument, ex.Key));
            }
            _survivorIdGivenExplicitly = MyInvocation.BoundParameters.ContainsKey(nameof(SurvivorId));
            _options = new MergeOptions { Rules = rules, Funnel = Config, PassiveUser = PassiveUser.IsPresent };
            if (ChangeFolder != null) CheckChangeFolder(GetUnresolvedProviderPathFromPSPath(ChangeFolder), _options.RunId);
            _session = OpenKeyStore(forWrite: true);
            _engine = new MergeEngine(_options, _session.Store);
            foreach (var item in RelatedRecord ?? Array.Empty<PSObject>())
            {
                var r = RecordConversion.ToRecord(item, null);
                if (r != null) _engine.AddRelated(r);
            }
        }

        /// <summary>Merges each group; a bad group is an error and the rest go on.</summary>
        protected override void ProcessRecord()
        {
            var records = ParameterSetName == ExplicitSet ? new[] { Survivor }.Concat(Duplicate) : Record;
            var group = new List<CrmRecord>();
            foreach (var item in records)
            {
                var r = RecordConversion.ToRecord(item, null);
                if (r == null)
                {
                    WriteError(Errors.Create(new ArgumentException("A group member is not a record."), "InputNotRecord", ErrorCategory.InvalidArgument, item));
                    return;
                }
                group.Add(r);
            }
            // Survivor rules given on the command line win over a survivor suggested by the input (Find-CrmDuplicate).
            var rulesGiven = MyInvocation.BoundParameters.ContainsKey(nameof(SurvivorRule)) || MyInvocation.BoundParameters.ContainsKey(nameof(RulesPath));
            var survivorId = ParameterSetName == ExplicitSet ? group[0].Id : rulesGiven && !_survivorIdGivenExplicitly ? null : SurvivorId;
            var label = GroupId ?? (++_groups).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (group.Count > MaxGroupSize && !Force.IsPresent)
            {
                WriteError(Errors.Create(new InvalidOperationException($"Group {label} has {group.Count} records, more than -MaxGroupSize {MaxGroupSize}: not merged. A group this large is usually different people chained together; check it (Find-CrmDuplicate's pairs and rules), then merge it with -Force or a larger -MaxGroupSize."),
                    "GroupTooLarge", ErrorCategory.LimitsExceeded, label));
                return;
            }
            try
            {
                var result = _engine!.Merge(new MergeGroup(group, survivorId, label) { SelectedStatus = SelectedStatus });
                _journal.Add(result.Journal);
                AddChanges(result);
                foreach (var warning in result.Funnel.Warnings) WriteWarning(warning);
                WriteObject(new CrmMergeResult(result));
            }
            catch (MergeException ex)
            {
                WriteError(Errors.Create(ex, ex.ErrorId, ErrorCategory.InvalidData, label));
            }
            catch (ArgumentException ex)
            {
                WriteError(Errors.Create(ex, "InvalidMergeGroup", ErrorCategory.InvalidData, label));
            }
        }

        private void AddChanges(MergeResult r)
        {
            var before = r.Journal.Before[0];
            var changed = r.Survivor.Where(f => !string.Equals(RecordValue.ToText(before[f.Key]), RecordValue.ToText(f.Value), StringComparison.Ordinal) || !before.Has(f.Key)).ToList();
            if (changed.Count > 0) _changes.Update(r.ObjectType, r.Survivor.Id!, changed);
            foreach (var d in r.Deleted) _changes.Delete(r.ObjectType, d.Id!);
            foreach (var c in r.ChildrenMoved)
            {
                var old = r.Journal.Before.First(b => string.Equals(b.Id, c.Id, StringComparison.Ordinal));
                _changes.Update(c.ObjectType ?? "Record", c.Id!, c.Where(f => !string.Equals(RecordValue.ToText(old[f.Key]), RecordValue.ToText(f.Value), StringComparison.Ordinal)));
            }
            foreach (var m in r.MembershipsDestroyed) _changes.Delete("CampaignMember", m.Id!);
            foreach (var o in r.OpportunitiesArchived) _changes.Update("Opportunity", o.Id!, new[] { new KeyValuePair<string, object?>(Config?.ArchiveField ?? "FCRM__FCR_Admin_CMArchive__c", o[Config?.ArchiveField ?? "FCRM__FCR_Admin_CMArchive__c"]) });
            foreach (var m in r.MembershipsReinserted) _changes.Insert(m);
        }

        /// <summary>Commits the run: journal, key store and change files as one unit (unless -WhatIf).</summary>
        protected override void EndProcessing()
        {
            if (_journal.Count == 0) return;
            var folder = ChangeFolder != null ? GetUnresolvedProviderPathFromPSPath(ChangeFolder) : null;
            if (!ShouldProcess(_session!.Folder, $"Record {_journal.Count} merge(s): journal, key store{(folder != null ? ", change files" : string.Empty)}")) return;
            var runId = _options!.RunId;
            CommitRun(_session, runId, "Merge-CrmRecord", folder, run =>
            {
                if (folder != null) run.StageChanges(_changes);
                run.StageState("journal/" + runId + ".jsonl", p => MergeJournal.WriteFile(p, runId, _journal, Core.IO.ExistingFile.Fail));
                run.StageState(KeyStoreSession.FileName, p => _session.Store.Save(p));
            });
            WriteVerbose($"Journal: {MergeJournal.FileOf(_session.Folder, runId)} (run {runId}); Undo-CrmMerge -RunId {runId} restores it.");
        }

        /// <summary>Releases the key-store lock.</summary>
        public void Dispose() => _session?.Dispose();
    }

    /// <summary>What Merge-CrmRecord did with one group.</summary>
    public sealed class CrmMergeResult
    {
        internal CrmMergeResult(MergeResult r)
        {
            GroupId = r.GroupId;
            ObjectType = r.ObjectType;
            SurvivorId = r.Survivor.Id!;
            SurvivorReason = r.SurvivorReason;
            DeletedIds = r.DeletedIds.ToArray();
            Survivor = RecordConversion.ToPSObject(r.Survivor);
            Deleted = r.Deleted.Select(RecordConversion.ToPSObject).ToArray();
            FieldProvenance = new Hashtable(r.FieldProvenance, StringComparer.OrdinalIgnoreCase);
            ChildrenMoved = r.ChildrenMoved.Select(RecordConversion.ToPSObject).ToArray();
            MembershipsDestroyed = r.MembershipsDestroyed.Select(m => m.Id!).ToArray();
            MembershipsArchived = r.Funnel.DestroyedMemberships.Where(d => d.Archived).Select(d => d.MemberId).ToArray();
            MembershipsReinserted = r.MembershipsReinserted.Select(RecordConversion.ToPSObject).ToArray();
            ResponsesResolved = r.FunnelApplied ? r.Funnel.ResolvedResponses.ToArray() : Array.Empty<ResponseChange>();
            FunnelRow = r.Funnel.Row;
            FunnelApplied = r.FunnelApplied;
            Reason = (r.FunnelApplied ? r.Funnel.Reason : "No funnel configuration: statuses and responses were left alone. " + string.Join(" ", r.Funnel.DestroyedMemberships.Select(d => d.Reason))).Trim();
            JournalEntryId = r.Journal.EntryId;
        }

        /// <summary>The group label.</summary>
        public string? GroupId { get; }
        /// <summary>The object type merged.</summary>
        public string ObjectType { get; }
        /// <summary>The survivor's id.</summary>
        public string SurvivorId { get; }
        /// <summary>How the survivor was chosen.</summary>
        public string SurvivorReason { get; }
        /// <summary>The deleted records' ids.</summary>
        public string[] DeletedIds { get; }
        /// <summary>The survivor after the merge.</summary>
        public PSObject Survivor { get; }
        /// <summary>The deleted records (MasterRecordId set).</summary>
        public PSObject[] Deleted { get; }
        /// <summary>Field to the id its value came from (fields whose value changed).</summary>
        public Hashtable FieldProvenance { get; }
        /// <summary>Children re-parented (and responses resolved).</summary>
        public PSObject[] ChildrenMoved { get; }
        /// <summary>Destroyed memberships (kept in the journal).</summary>
        public string[] MembershipsDestroyed { get; }
        /// <summary>Opportunity-linked memberships archived into their opportunity.</summary>
        public string[] MembershipsArchived { get; }
        /// <summary>Memberships re-inserted in the system campaign.</summary>
        public PSObject[] MembershipsReinserted { get; }
        /// <summary>Responses shut down.</summary>
        public ResponseChange[] ResponsesResolved { get; }
        /// <summary>The funnel table row.</summary>
        public string FunnelRow { get; }
        /// <summary>True when a funnel configuration was applied.</summary>
        public bool FunnelApplied { get; }
        /// <summary>Why, in words.</summary>
        public string Reason { get; }
        /// <summary>The journal entry (run:n).</summary>
        public string JournalEntryId { get; }
    }
}
