using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using LeadTools.Core.Matching;
using LeadTools.Core.Records;

namespace LeadTools.PowerShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Ties each lead without a contact to its contact: a matching contact, or a new marketing-only contact; reports account-based leads whose account has no contact.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "OrphanedLead", SupportsShouldProcess = true)]
    [OutputType(typeof(OrphanedLeadResult))]
    public sealed class ConnectOrphanedLeadCommand : MatchCommandBase
    {
        private readonly List<CrmRecord> _leads = new List<CrmRecord>();
        private readonly List<CrmRecord> _contacts = new List<CrmRecord>();
        private long _seen;

        /// <summary>Leads and contacts (one export or several); other object types are ignored.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

        /// <summary>The lead's lookup to its contact. Default: parentcontactid.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string ContactField { get; set; } = "parentcontactid";

        /// <summary>The flag set to true on new marketing-only contacts. Default: msdyncrm_marketingonly.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string MarketingOnlyField { get; set; } = "msdyncrm_marketingonly";

        /// <summary>The lead's lookup to its account, for account-based leads. Default: parentaccountid.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AccountField { get; set; } = "parentaccountid";

        /// <summary>
        /// Salesforce, Dataverse, or Auto (default): Dataverse when the records are in the Web API shape (@odata
        /// annotations, _x_value lookups). Dataverse gives new contacts GUIDs and results Web API requests.
        /// </summary>
        [Parameter]
        public CrmTarget TargetCrm { get; set; } = CrmTarget.Auto;

        /// <summary>Writes the Dataverse Web API requests of every result (POST contacts, PATCH leads) to this JSON file, atomically.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? RequestPath { get; set; }

        /// <summary>Resolves the strategy.</summary>
        protected override void BeginProcessing() => ResolveStrategy();

        /// <summary>Sorts the input into leads and contacts.</summary>
        protected override void ProcessRecord()
        {
            foreach (var item in InputObject)
            {
                _seen++;
                var r = RecordConversion.ToRecord(item, null);
                if (r == null)
                {
                    WriteError(Errors.Create(new ArgumentException($"Input {_seen} is not a record."), "InputNotRecord", ErrorCategory.InvalidArgument, item));
                    continue;
                }
                if (ObjectTypes.SameType(r.ObjectType, "Lead")) _leads.Add(r);
                else if (ObjectTypes.SameType(r.ObjectType, "Contact")) _contacts.Add(r);
            }
        }

        /// <summary>Links the orphaned leads once every contact is known.</summary>
        protected override void EndProcessing()
        {
            var target = DataverseWebApi.Resolve(TargetCrm, _leads.Concat(_contacts));
            if (RequestPath != null && target != CrmTarget.Dataverse)
            {
                ThrowTerminatingError(Errors.Create(new ArgumentException("-RequestPath writes Dataverse Web API requests, but the records are not in the Dataverse Web API shape; add -TargetCrm Dataverse if they are Dataverse records."),
                    "RequestPathNeedsDataverse", ErrorCategory.InvalidArgument, RequestPath));
            }
            var linker = new OrphanedLeadLinker(MatchStrategy, ContactField, MarketingOnlyField, AccountField, target == CrmTarget.Dataverse);
            foreach (var c in _contacts) linker.AddContact(c);
            var outcomes = linker.ProcessAll(_leads);
            if (RequestPath != null)
            {
                var path = GetUnresolvedProviderPathFromPSPath(RequestPath);
                var requests = outcomes.SelectMany(o => o.Requests).ToList();
                if (ShouldProcess(path, $"Write {requests.Count} Dataverse Web API request(s)"))
                {
                    try
                    {
                        DataverseRequestFile.Write(path, requests);
                    }
                    catch (Exception ex) when (ex is System.IO.IOException || ex is UnauthorizedAccessException)
                    {
                        ThrowTerminatingError(Errors.Create(ex, "RequestFileNotWritten", ErrorCategory.WriteError, path));
                    }
                }
            }
            foreach (var o in outcomes) WriteObject(new OrphanedLeadResult(o));
        }
    }

    /// <summary>What Connect-OrphanedLead found or did for one lead.</summary>
    public sealed class OrphanedLeadResult
    {
        internal OrphanedLeadResult(OrphanOutcome o)
        {
            Action = o.Action.ToString();
            LeadId = o.Lead.Id;
            ContactId = o.Contact?.Id;
            AccountId = o.AccountId;
            Rule = o.Match?.Rule;
            Score = o.Match == null ? (double?)null : Math.Round(o.Match.Score, 1);
            Lead = RecordConversion.ToPSObject(o.Lead);
            Contact = o.Contact == null ? null : RecordConversion.ToPSObject(o.Contact);
            Reason = o.Reason;
            Requests = DataverseRequestResult.From(o.Requests);
        }

        /// <summary>Dataverse: the Web API requests that apply this result (POST of the new contact, PATCH of the lead with parentcontactid@odata.bind); empty otherwise.</summary>
        public DataverseRequestResult[] Requests { get; }

        /// <summary>LinkedToContact, CreatedMarketingContact or AccountWithoutContact.</summary>
        public string Action { get; }
        /// <summary>The lead.</summary>
        public string? LeadId { get; }
        /// <summary>The matched or new contact.</summary>
        public string? ContactId { get; }
        /// <summary>The lead's account, for account-based leads.</summary>
        public string? AccountId { get; }
        /// <summary>The rule that matched the contact.</summary>
        public string? Rule { get; }
        /// <summary>Its score (0-100).</summary>
        public double? Score { get; }
        /// <summary>The lead with its contact lookup set (unchanged for AccountWithoutContact).</summary>
        public PSObject Lead { get; }
        /// <summary>The matched contact, or the new marketing-only contact to insert.</summary>
        public PSObject? Contact { get; }
        /// <summary>The decision in words.</summary>
        public string Reason { get; }
    }
}
