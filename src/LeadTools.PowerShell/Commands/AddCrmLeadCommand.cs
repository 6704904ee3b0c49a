using System;
using System.Management.Automation;
using LeadTools.Core.Matching;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Captures form submissions or event registrations as leads with matching: updates the matching lead, links a new lead to the matching contact, and creates a lead only when nothing matches.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "CrmLead")]
    [OutputType(typeof(CrmLeadCaptureResult))]
    public sealed class AddCrmLeadCommand : MatchCommandBase
    {
        private LeadCapture? _capture;
        private long _seen;

        /// <summary>The submissions (hashtables, PSCustomObjects, records) with fields such as FirstName, LastName, Email, Company.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

        /// <summary>The existing leads and contacts the submissions are matched against.</summary>
        [Parameter]
        [AllowEmptyCollection]
        public PSObject[]? ExistingRecord { get; set; }

        /// <summary>The lead field that links a new lead to its matched contact. Default: ContactId.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ContactField { get; set; } = "ContactId";

        /// <summary>Resolves the strategy and indexes the existing records once.</summary>
        protected override void BeginProcessing()
        {
            ResolveStrategy();
            _capture = new LeadCapture(MatchStrategy, ContactField);
            foreach (var item in ExistingRecord ?? Array.Empty<PSObject>())
            {
                var r = RecordConversion.ToRecord(item, null);
                if (r == null)
                {
                    WriteError(Errors.Create(new ArgumentException("An -ExistingRecord item is not a record."), "InputNotRecord", ErrorCategory.InvalidArgument, item));
                    continue;
                }
                _capture.AddExisting(r);
            }
        }

        /// <summary>Decides each submission in turn (later submissions see the leads made or updated by earlier ones).</summary>
        protected override void ProcessRecord()
        {
            foreach (var item in InputObject)
            {
                _seen++;
                var submission = RecordConversion.ToRecord(item, "Lead");
                if (submission == null)
                {
                    WriteError(Errors.Create(new ArgumentException($"Submission {_seen} is not a record."), "InputNotRecord", ErrorCategory.InvalidArgument, item));
                    continue;
                }
                WriteObject(new CrmLeadCaptureResult(_capture!.Capture(submission)));
            }
        }
    }

    /// <summary>What Add-CrmLead did with one submission.</summary>
    public sealed class CrmLeadCaptureResult
    {
        internal CrmLeadCaptureResult(CaptureOutcome o)
        {
            Action = o.Action.ToString();
            LeadId = o.Lead.Id;
            MatchedId = o.Matched?.Id;
            MatchedObjectType = o.Matched?.ObjectType;
            Rule = o.Match?.Rule;
            Score = o.Match == null ? (double?)null : Math.Round(o.Match.Score, 1);
            CreditedToId = o.CreditedToId;
            UpdatedFields = System.Linq.Enumerable.ToArray(o.UpdatedFields);
            Lead = RecordConversion.ToPSObject(o.Lead);
            Reason = o.Reason;
        }

        /// <summary>UpdatedLead, LinkedToContact or CreatedLead.</summary>
        public string Action { get; }
        /// <summary>The updated lead's id, or the new lead's provisional id (00QLTnew...).</summary>
        public string? LeadId { get; }
        /// <summary>The lead or contact that matched.</summary>
        public string? MatchedId { get; }
        /// <summary>Lead or Contact.</summary>
        public string? MatchedObjectType { get; }
        /// <summary>The rule that matched.</summary>
        public string? Rule { get; }
        /// <summary>Its score (0-100).</summary>
        public double? Score { get; }
        /// <summary>Who the interaction is credited to: the matched contact, else the lead.</summary>
        public string CreditedToId { get; }
        /// <summary>Fields the submission set on the lead.</summary>
        public string[] UpdatedFields { get; }
        /// <summary>The updated or new lead record (for Export-CrmRecord).</summary>
        public PSObject Lead { get; }
        /// <summary>The decision in words.</summary>
        public string Reason { get; }
    }
}
