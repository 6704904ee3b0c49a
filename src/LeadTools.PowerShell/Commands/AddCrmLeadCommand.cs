using System;
using System.Management.Automation;
using LeadTools.Core.Matching;
using LeadTools.Core.Records;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Captures form submissions or event registrations as leads with matching: updates the matching lead, links a new lead to the matching contact, and creates a lead only when nothing matches.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Add, "CrmLead", SupportsShouldProcess = true)]
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

        /// <summary>The lead field that links a lead to its contact. Default: ContactId (Salesforce), parentcontactid (Dataverse).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ContactField { get; set; } = "ContactId";

        /// <summary>
        /// The strategy that matches leads (Dynamics' lead matching strategy): a built-in name or a strategy file, e.g.
        /// email and topic so that a submission for another product makes another lead. Default: -Strategy.
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(MatchStrategyCompleter))]
        [ValidateNotNullOrEmpty]
        public string? LeadStrategy { get; set; }

        /// <summary>
        /// Salesforce, Dataverse, or Auto (default): Dataverse when the existing records are in the Web API shape.
        /// Dataverse gives new leads GUIDs, links through parentcontactid and gives each result its Web API request.
        /// </summary>
        [Parameter]
        public CrmTarget TargetCrm { get; set; } = CrmTarget.Auto;

        /// <summary>Writes the Dataverse Web API requests of every result (POST leads, PATCH leads) to this JSON file, atomically, at the end.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? RequestPath { get; set; }

        private readonly System.Collections.Generic.List<LeadTools.Core.Records.DataverseRequest> _requests = new System.Collections.Generic.List<LeadTools.Core.Records.DataverseRequest>();

        /// <summary>Resolves the strategy and indexes the existing records once.</summary>
        protected override void BeginProcessing()
        {
            ResolveStrategy();
            var contactStrategy = MatchStrategy;
            MatchStrategy? leadStrategy = null;
            if (LeadStrategy != null) leadStrategy = ResolveStrategy(LeadStrategy);
            var existing = new System.Collections.Generic.List<LeadTools.Core.Records.CrmRecord>();
            foreach (var item in ExistingRecord ?? Array.Empty<PSObject>())
            {
                var r = RecordConversion.ToRecord(item, null);
                if (r == null)
                {
                    WriteError(Errors.Create(new ArgumentException("An -ExistingRecord item is not a record."), "InputNotRecord", ErrorCategory.InvalidArgument, item));
                    continue;
                }
                existing.Add(r);
            }
            var target = LeadTools.Core.Records.DataverseWebApi.Resolve(TargetCrm, existing);
            if (RequestPath != null && target != LeadTools.Core.Records.CrmTarget.Dataverse)
            {
                ThrowTerminatingError(Errors.Create(new ArgumentException("-RequestPath writes Dataverse Web API requests, but the existing records are not in the Dataverse Web API shape; add -TargetCrm Dataverse if they are Dataverse records."),
                    "RequestPathNeedsDataverse", ErrorCategory.InvalidArgument, RequestPath));
            }
            var dataverse = target == LeadTools.Core.Records.CrmTarget.Dataverse;
            var contactField = dataverse && !MyInvocation.BoundParameters.ContainsKey(nameof(ContactField)) ? "parentcontactid" : ContactField;
            _capture = new LeadCapture(contactStrategy, contactField, leadStrategy, dataverse);
            foreach (var r in existing) _capture.AddExisting(r);
        }

        /// <summary>Writes the request file (-RequestPath) once every submission is decided.</summary>
        protected override void EndProcessing()
        {
            if (RequestPath == null) return;
            var path = GetUnresolvedProviderPathFromPSPath(RequestPath);
            if (!ShouldProcess(path, $"Write {_requests.Count} Dataverse Web API request(s)")) return;
            try
            {
                LeadTools.Core.Records.DataverseRequestFile.Write(path, _requests);
            }
            catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
            {
                ThrowTerminatingError(Errors.Create(ex, "RequestFileNotWritten", ErrorCategory.WriteError, path));
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
                var outcome = _capture!.Capture(submission);
                _requests.AddRange(outcome.Requests);
                foreach (var w in outcome.Warnings) WriteWarning(w);
                WriteObject(new CrmLeadCaptureResult(outcome));
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
            LinkedContactId = o.LinkedContact?.Id;
            Requests = DataverseRequestResult.From(o.Requests);
        }

        /// <summary>The contact the lead was linked to by this submission (a new lead linked to a matched contact, or an unlinked lead that matched together with a contact).</summary>
        public string? LinkedContactId { get; }
        /// <summary>Dataverse: the Web API request that applies this result (POST leads or PATCH leads(id), lookups as @odata.bind); empty otherwise.</summary>
        public DataverseRequestResult[] Requests { get; }

        /// <summary>UpdatedLead, LinkedToContact or CreatedLead.</summary>
        public string Action { get; }
        /// <summary>The updated lead's id, or the new lead's id: a provisional id (00QLTnew...) for Salesforce, a GUID for Dataverse.</summary>
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
