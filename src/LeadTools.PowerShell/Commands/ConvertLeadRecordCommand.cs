using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Conversion;
using LeadTools.Core.Export;
using LeadTools.Core.Keys;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Converts leads into contacts and accounts (and opportunities) the way Salesforce does, keeping each person's identity in the alternate key store.</para>
    /// </summary>
    [Cmdlet(VerbsData.Convert, "LeadRecord", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(LeadConversionResult))]
    public sealed class ConvertLeadRecordCommand : KeyStoreCommandBase, IDisposable
    {
        private const int ProgressEvery = 5000;
        private KeyStoreSession? _session;
        private LeadConverter? _converter;
        private readonly ChangeSet _changes = new ChangeSet();
        private readonly string _runId = Core.State.RunLedger.NewRunId();
        private long _converted;
        private long _seen;
        private ProgressRecord? _progress;
        private ConversionOptions? _options;
        private readonly List<Core.Merge.JournalEntry> _journal = new List<Core.Merge.JournalEntry>();
        // Leads into an existing contact wait for the end of the input when funnel rules apply: all the leads converted
        // into one contact are decided as one group (one active response at a time), whatever order they came in.
        private readonly List<ConversionRequest> _grouped = new List<ConversionRequest>();

        /// <summary>The leads to convert (records from Import-CrmRecord, PSCustomObjects or hashtables with an Id).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

        /// <summary>Convert into this existing contact (bound by property name, so a ContactId column in the input plans it per lead).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? ContactId { get; set; }

        /// <summary>Convert into this existing account (bound by property name too).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? AccountId { get; set; }

        /// <summary>Existing contacts and accounts the leads may be converted into; their blank fields are filled from the lead.</summary>
        [Parameter]
        public PSObject[]? ExistingRecord { get; set; }

        /// <summary>Campaign members, tasks and events of the leads (and of existing contacts), moved to the contact.</summary>
        [Parameter]
        public PSObject[]? RelatedRecord { get; set; }

        /// <summary>The lead status set on conversion. Default: Closed - Converted.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ConvertedStatus { get; set; } = "Closed - Converted";

        /// <summary>Do not create an opportunity.</summary>
        [Parameter]
        public SwitchParameter DoNotCreateOpportunity { get; set; }

        /// <summary>Opportunity name template: {Field} is replaced by the lead's field. Default: {Company}-</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string OpportunityName { get; set; } = "{Company}-";

        /// <summary>Stage of new opportunities. Default: Prospecting.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string OpportunityStage { get; set; } = "Prospecting";

        /// <summary>Overwrite LeadSource on existing contacts and accounts (otherwise only a blank one is filled).</summary>
        [Parameter]
        public SwitchParameter OverwriteLeadSource { get; set; }

        /// <summary>Person accounts are enabled: leads without a company convert to person accounts.</summary>
        [Parameter]
        public SwitchParameter AllowPersonAccount { get; set; }

        /// <summary>Record type id of new person accounts.</summary>
        [Parameter]
        public string? PersonAccountRecordTypeId { get; set; }

        /// <summary>Owner of the new records (default: the lead's owner).</summary>
        [Parameter]
        public string? OwnerId { get; set; }

        /// <summary>The conversion date (a date; the time is dropped). Default: today (UTC).</summary>
        [Parameter]
        public DateTime? ConvertedDate { get; set; }

        /// <summary>A JSON field-mapping file adding to or overriding the standard lead-to-contact/account/opportunity mapping.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? MappingPath { get; set; }

        /// <summary>The funnel status configuration (object or path): with it the SPEC 5.4 rules decide the contact status, the responses resolved and the memberships destroyed; without it memberships simply move.</summary>
        [Parameter]
        [FunnelConfigTransformation]
        public Core.Funnel.FunnelConfig? Config { get; set; }

        /// <summary>Write the contact status the funnel rules decide into the change files (by default it is not: seed 001 recommends letting Funnel Metrics set it after conversion).</summary>
        [Parameter]
        public SwitchParameter WriteContactStatus { get; set; }

        /// <summary>The user doing the conversion runs in passive mode (seed 001); also the configuration's passive.mergingUser.</summary>
        [Parameter]
        public SwitchParameter PassiveUser { get; set; }

        /// <summary>Write the CRM change files (Lead-update.csv, Contact-insert.csv, ...) into this folder.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ChangeFolder { get; set; }

        /// <summary>Sets up the converter, the mapping and the key store (locked for the run).</summary>
        protected override void BeginProcessing()
        {
            var mapping = FieldMapping.Standard();
            if (MappingPath != null)
            {
                try
                {
                    mapping = FieldMapping.Load(GetUnresolvedProviderPathFromPSPath(MappingPath));
                }
                catch (ConfigurationException ex)
                {
                    ThrowTerminatingError(Errors.Create(ex, "InvalidMapping", ErrorCategory.InvalidData, ex.Key ?? MappingPath));
                }
            }
            var options = new ConversionOptions
            {
                ConvertedStatus = ConvertedStatus,
                CreateOpportunity = !DoNotCreateOpportunity.IsPresent,
                OpportunityName = OpportunityName,
                OpportunityStage = OpportunityStage,
                OverwriteLeadSource = OverwriteLeadSource.IsPresent,
                AllowPersonAccount = AllowPersonAccount.IsPresent,
                PersonAccountRecordTypeId = PersonAccountRecordTypeId,
                OwnerId = OwnerId,
                ConvertedDate = (ConvertedDate ?? DateTime.UtcNow).Date,
                Mapping = mapping,
                Funnel = Config == null ? null : new Core.Funnel.FunnelAnalyzer(Config),
                WriteContactStatus = WriteContactStatus.IsPresent,
                PassiveUser = PassiveUser.IsPresent,
            };
            _options = options;
            options.RunId = _runId; // the conversion's journal belongs to the committed run
            if (ChangeFolder != null) CheckChangeFolder(GetUnresolvedProviderPathFromPSPath(ChangeFolder), _runId);
            _session = OpenKeyStore(forWrite: true);
            _converter = new LeadConverter(options, _session.Store);
            foreach (var item in ExistingRecord ?? Array.Empty<PSObject>())
            {
                var r = RecordConversion.ToRecord(item, null);
                if (r != null) _converter.AddExisting(r);
            }
            foreach (var item in RelatedRecord ?? Array.Empty<PSObject>())
            {
                var r = RecordConversion.ToRecord(item, null);
                if (r == null) continue;
                _converter.AddRelated(r);
                options.Funnel?.AddContext(r); // opportunities and campaigns for the funnel rules
            }
        }

        /// <summary>Converts each lead; a lead that cannot be converted is an error and the rest go on.</summary>
        protected override void ProcessRecord()
        {
            foreach (var item in InputObject)
            {
                _seen++;
                var lead = RecordConversion.ToRecord(item, "Lead");
                if (lead == null)
                {
                    WriteError(Errors.Create(new ArgumentException($"Input {_seen} is not a lead record."), "NotALead", ErrorCategory.InvalidArgument, item));
                    continue;
                }
                var request = new ConversionRequest(lead) { ContactId = ContactId, AccountId = AccountId };
                if (Config != null && !string.IsNullOrWhiteSpace(ContactId))
                {
                    _grouped.Add(request);
                    continue;
                }
                Emit(_converter!.ConvertGroup(new[] { request }));
                if (_seen % ProgressEvery == 0)
                {
                    _progress ??= new ProgressRecord(2, "Convert-LeadRecord", "Converting leads");
                    _progress.StatusDescription = $"{_converted:N0} of {_seen:N0} leads converted";
                    WriteProgress(_progress);
                }
            }
        }

        private void Emit(IEnumerable<ConversionAttempt> attempts)
        {
            foreach (var attempt in attempts)
            {
                if (attempt.Error != null)
                {
                    WriteError(Errors.Create(attempt.Error, attempt.Error.ErrorId, ErrorCategory.InvalidOperation, attempt.Request.Lead.Id));
                    continue;
                }
                var outcome = attempt.Outcome!;
                // Change sets hold every new record: keep them only when they are to be written.
                if (ChangeFolder != null) outcome.AddChanges(_changes);
                if (outcome.Journal != null) _journal.Add(outcome.Journal);
                foreach (var warning in outcome.Warnings) WriteWarning(warning);
                _converted++;
                WriteObject(new LeadConversionResult(outcome, _runId));
            }
        }

        /// <summary>Converts the grouped leads, then commits the run: journal, key store and change files as one unit (unless -WhatIf).</summary>
        protected override void EndProcessing()
        {
            if (_grouped.Count > 0)
            {
                // One call: leads into the same contact form one group, decided together.
                Emit(_converter!.ConvertGroup(_grouped));
            }
            if (_progress != null)
            {
                _progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(_progress);
            }
            if (_converted == 0) return;
            var folder = ChangeFolder != null ? GetUnresolvedProviderPathFromPSPath(ChangeFolder) : null;
            var what = $"Record {_converted} conversion(s) in the alternate key store" + (folder != null ? $" and write their change files to {folder}" : string.Empty) + $" (run {_runId})";
            if (!ShouldProcess(_session!.FilePath, what)) return;
            CommitRun(_session, _runId, "Convert-LeadRecord", folder, run =>
            {
                if (folder != null) run.StageChanges(_changes);
                // The memberships the funnel rules destroyed, resolved or re-inserted: journalled like merges (Undo-CrmMerge -RunId).
                if (_journal.Count > 0) run.StageState("journal/" + _runId + ".jsonl", p => Core.Merge.MergeJournal.WriteFile(p, _runId, _journal, Core.IO.ExistingFile.Fail));
                run.StageState(KeyStoreSession.FileName, p => _session.Store.Save(p));
            });
            if (_journal.Count > 0) WriteVerbose($"Journal: {Core.Merge.MergeJournal.FileOf(_session.Folder, _runId)} (run {_runId}); Undo-CrmMerge -RunId {_runId} gives the memberships back.");
        }

        /// <summary>Releases the key-store lock.</summary>
        public void Dispose() => _session?.Dispose();
    }

    /// <summary>What Convert-LeadRecord did with one lead.</summary>
    public sealed class LeadConversionResult
    {
        internal LeadConversionResult(ConversionOutcome outcome, string runId)
        {
            RunId = runId;
            LeadId = outcome.Lead.Id!;
            ContactId = outcome.Contact.Id!;
            AccountId = outcome.Account.Id!;
            OpportunityId = outcome.Opportunity?.Id;
            ContactIsNew = outcome.ContactIsNew;
            AccountIsNew = outcome.AccountIsNew;
            IsPersonAccount = outcome.IsPersonAccount;
            Lead = RecordConversion.ToPSObject(outcome.Lead);
            Contact = RecordConversion.ToPSObject(outcome.Contact);
            Account = RecordConversion.ToPSObject(outcome.Account);
            Opportunity = outcome.Opportunity == null ? null : RecordConversion.ToPSObject(outcome.Opportunity);
            MovedChildren = outcome.MovedChildren.Select(RecordConversion.ToPSObject).ToArray();
            FilledFields = outcome.FilledFields.ToArray();
            Decision = string.Join(" ", outcome.Notes);
            Funnel = outcome.Funnel;
            FunnelRow = outcome.Funnel?.Row;
            ResponsesResolved = outcome.Funnel?.ResolvedResponses.ToArray() ?? Array.Empty<Core.Funnel.ResponseChange>();
            MembershipsDestroyed = outcome.DestroyedMemberships.Select(m => m.Id!).ToArray();
            MembershipsArchived = outcome.Funnel?.DestroyedMemberships.Where(d => d.Archived && outcome.DestroyedMemberships.Any(m => m.Id == d.MemberId)).Select(d => d.MemberId).ToArray() ?? Array.Empty<string>();
            MembershipsReinserted = outcome.ReinsertedMemberships.Select(RecordConversion.ToPSObject).ToArray();
            GroupLeadIds = outcome.GroupLeadIds.ToArray();
            JournalEntryId = outcome.Journal?.EntryId;
        }

        /// <summary>The run (also in the change folder's manifest): Export-CrmChangeSet -RunId writes its change files again.</summary>
        public string RunId { get; }
        /// <summary>The funnel outcome (row, rule, surviving status and response, responses resolved, memberships destroyed / archived / re-inserted, warnings) when -Config was given; shared by all leads converted into the same contact.</summary>
        public Core.Funnel.FunnelOutcome? Funnel { get; }
        /// <summary>The SPEC 5.4 row that decided ("5.4-1", ...), when -Config was given.</summary>
        public string? FunnelRow { get; }
        /// <summary>Responses shut down by the conversion (Resolved - Merged, Resolved - Non-Response RT).</summary>
        public Core.Funnel.ResponseChange[] ResponsesResolved { get; }
        /// <summary>Campaign members of this lead (or of the contact, on the group's first lead) the conversion destroyed; they are in the journal.</summary>
        public string[] MembershipsDestroyed { get; }
        /// <summary>Destroyed opportunity-linked memberships archived into their opportunity's archive field.</summary>
        public string[] MembershipsArchived { get; }
        /// <summary>Destroyed opportunity-linked memberships re-inserted on the contact (repeat member or system campaign).</summary>
        public PSObject[] MembershipsReinserted { get; }
        /// <summary>The leads converted into the same contact in this run and decided together.</summary>
        public string[] GroupLeadIds { get; }
        /// <summary>The journal entry (run:n) holding the memberships' before-images, on the group's first lead.</summary>
        public string? JournalEntryId { get; }

        /// <summary>The converted lead's id (its alternate key from now on).</summary>
        public string LeadId { get; }
        /// <summary>The contact: the person's ContactKey from now on.</summary>
        public string ContactId { get; }
        /// <summary>The account.</summary>
        public string AccountId { get; }
        /// <summary>The new opportunity, if any.</summary>
        public string? OpportunityId { get; }
        /// <summary>True when the contact was created.</summary>
        public bool ContactIsNew { get; }
        /// <summary>True when the account was created.</summary>
        public bool AccountIsNew { get; }
        /// <summary>True for a person account.</summary>
        public bool IsPersonAccount { get; }
        /// <summary>The converted lead record.</summary>
        public PSObject Lead { get; }
        /// <summary>The new or updated contact record.</summary>
        public PSObject Contact { get; }
        /// <summary>The new or updated account record.</summary>
        public PSObject Account { get; }
        /// <summary>The new opportunity record.</summary>
        public PSObject? Opportunity { get; }
        /// <summary>Campaign members and activities moved to the contact.</summary>
        public PSObject[] MovedChildren { get; }
        /// <summary>Blank fields filled on existing records.</summary>
        public string[] FilledFields { get; }
        /// <summary>What was done and why.</summary>
        public string Decision { get; }
    }
}
