using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using LeadTools.Core.Records;

namespace LeadTools.Core.Funnel
{
    /// <summary>A campaign membership seen through the funnel configuration.</summary>
    public sealed class Response
    {
        internal Response(CrmRecord member, FunnelConfig config, Func<string, bool?> opportunityIsOpen)
        {
            Member = member;
            Id = member.Id ?? string.Empty;
            CampaignId = member.GetString("CampaignId");
            PersonId = member.GetString("ContactId") ?? member.GetString("LeadId");
            ResponseStatus = Blank(member.GetString(config.ResponseStatusField));
            ResponseDate = Blank(member.GetString(config.ResponseDateField));
            CreatedDate = Blank(member.GetString("CreatedDate"));
            OpportunityId = Blank(member.GetString(config.OpportunityField));
            OpportunityIsOpen = OpportunityId == null ? (bool?)null : opportunityIsOpen(OpportunityId) ?? true;
        }

        /// <summary>The campaign member record.</summary>
        public CrmRecord Member { get; }
        /// <summary>Its id.</summary>
        public string Id { get; }
        /// <summary>The campaign.</summary>
        public string? CampaignId { get; }
        /// <summary>The lead or contact it belongs to (ContactId when set, else LeadId).</summary>
        public string? PersonId { get; }
        /// <summary>The response status (null: not a response).</summary>
        public string? ResponseStatus { get; }
        /// <summary>The response date (ISO text).</summary>
        public string? ResponseDate { get; }
        /// <summary>The membership's creation date.</summary>
        public string? CreatedDate { get; }
        /// <summary>The linked opportunity, if any.</summary>
        public string? OpportunityId { get; }
        /// <summary>Whether the linked opportunity is open (unknown opportunities count as open).</summary>
        public bool? OpportunityIsOpen { get; }
        /// <summary>True for a response linked to an open opportunity.</summary>
        public bool IsOpportunityActive => OpportunityIsOpen == true;

        /// <summary>Ordering for "oldest": response date, then created date, then id — deterministic on ties.</summary>
        internal static int CompareAge(Response a, Response b)
        {
            var c = string.CompareOrdinal(Date(a.ResponseDate ?? a.CreatedDate), Date(b.ResponseDate ?? b.CreatedDate));
            if (c != 0) return c;
            c = string.CompareOrdinal(Date(a.CreatedDate), Date(b.CreatedDate));
            return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
        }

        // Missing dates sort last (as the newest), so a dated response is "older" than an undated one.
        internal static string Date(string? d) => d == null ? "\uffff" : NormaliseDate(d);

        private static string NormaliseDate(string d) =>
            DateTimeOffset.TryParse(d, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var v)
                ? v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture)
                : d;

        private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;

        /// <inheritdoc />
        public override string ToString() => $"{Id} (campaign {CampaignId ?? "?"}, {ResponseStatus ?? "no response"}{(ResponseDate != null ? " on " + ResponseDate : string.Empty)})";
    }

    /// <summary>One lead or contact with its funnel state: status, active response, opportunity-active responses.</summary>
    public sealed class PersonFunnel
    {
        internal PersonFunnel(CrmRecord person, FunnelConfig config)
        {
            Person = person;
            Id = person.Id ?? string.Empty;
            ObjectType = ObjectTypes.SameType(person.ObjectType, "Contact") ? "Contact" : "Lead";
            Status = person.GetString(config.StatusFieldOf(ObjectType));
            StatusValue = config.Status(ObjectType, Status);
            var recordType = person.GetString("RecordTypeId");
            IsNonResponseType = recordType != null && config.NonResponseRecordTypes.Contains(recordType);
            var owner = person.GetString("OwnerId");
            IsPassive = config.PassiveOrg || (recordType != null && config.PassiveRecordTypes.Contains(recordType)) || (owner != null && config.PassiveUsers.Contains(owner));
        }

        /// <summary>The lead or contact.</summary>
        public CrmRecord Person { get; }
        /// <summary>Its id.</summary>
        public string Id { get; }
        /// <summary>Lead or Contact.</summary>
        public string ObjectType { get; }
        /// <summary>Its status value.</summary>
        public string? Status { get; }
        /// <summary>The configured status (null when not configured).</summary>
        public StatusValue? StatusValue { get; }
        /// <summary>True for an active status.</summary>
        public bool IsActive => StatusValue?.Active == true;
        /// <summary>True when processed passively (org, record type or owner).</summary>
        public bool IsPassive { get; }
        /// <summary>True for a non-response record type.</summary>
        public bool IsNonResponseType { get; }
        /// <summary>Every membership of the person.</summary>
        public List<Response> Memberships { get; } = new List<Response>();
        /// <summary>Open responses whose status is an active response value, not linked to an opportunity.</summary>
        public List<Response> ActiveResponseCandidates { get; } = new List<Response>();
        /// <summary>The active response: a candidate whose response status corresponds to the person's active status (the oldest, if several).</summary>
        public Response? ActiveResponse { get; internal set; }
        /// <summary>Responses linked to open opportunities.</summary>
        public List<Response> OpportunityActiveResponses { get; } = new List<Response>();
        /// <summary>What is wrong (SPEC 4.2 integrity rules).</summary>
        public List<FunnelViolation> Violations { get; } = new List<FunnelViolation>();
    }

    /// <summary>A funnel integrity problem.</summary>
    public sealed class FunnelViolation
    {
        internal FunnelViolation(string kind, string personId, string? memberId, string message)
        {
            Kind = kind;
            PersonId = personId;
            MemberId = memberId;
            Message = message;
        }

        /// <summary>UnknownStatus, MultipleActiveResponses, ActiveStatusWithoutResponse, ResponseStatusMismatch, ActiveResponseOnInactiveRecord, ResponseOnNonResponseRecordType, OpportunityResponseOnLead, OpportunityStatusMismatch, MultipleResponsesForOpportunity.</summary>
        public string Kind { get; }
        /// <summary>The lead or contact.</summary>
        public string PersonId { get; }
        /// <summary>The campaign member concerned, if one.</summary>
        public string? MemberId { get; }
        /// <summary>What is wrong, in words.</summary>
        public string Message { get; }
    }

    /// <summary>Reads people, campaign members and opportunities into their funnel state (SPEC 4.2).</summary>
    public sealed class FunnelAnalyzer
    {
        private readonly FunnelConfig _config;
        private readonly Dictionary<string, bool> _openOpportunities = new Dictionary<string, bool>(StringComparer.Ordinal);
        private readonly Dictionary<string, CrmRecord> _campaigns = new Dictionary<string, CrmRecord>(StringComparer.Ordinal);

        /// <summary>Creates an analyzer.</summary>
        public FunnelAnalyzer(FunnelConfig config) => _config = config;

        /// <summary>The configuration.</summary>
        public FunnelConfig Config => _config;

        /// <summary>Opportunities (IsClosed says whether they are open) and campaigns (for the Response Prompt rule).</summary>
        public void AddContext(CrmRecord record)
        {
            if (record.Id == null) return;
            if (ObjectTypes.SameType(record.ObjectType, "Opportunity")) _openOpportunities[record.Id] = !Truthy(record["IsClosed"]);
            else if (ObjectTypes.SameType(record.ObjectType, "Campaign")) _campaigns[record.Id] = record;
        }

        /// <summary>True when the campaign is a Response Prompt campaign (its configured field is true or its Type says so).</summary>
        public bool IsResponsePrompt(string? campaignId) =>
            campaignId != null && _campaigns.TryGetValue(campaignId, out var c) &&
            (Truthy(c[_config.ResponsePromptField]) || string.Equals(c.GetString("Type"), "Response Prompt", StringComparison.OrdinalIgnoreCase));

        /// <summary>A membership as a response.</summary>
        public Response ResponseOf(CrmRecord member) => new Response(member, _config, id => _openOpportunities.TryGetValue(id, out var open) ? open : (bool?)null);

        /// <summary>The funnel state of one person given their memberships.</summary>
        public PersonFunnel Analyze(CrmRecord person, IEnumerable<CrmRecord> memberships)
        {
            var p = new PersonFunnel(person, _config);
            foreach (var m in memberships) p.Memberships.Add(ResponseOf(m));
            Evaluate(p);
            return p;
        }

        /// <summary>Groups memberships by person (ContactId, else LeadId) and analyzes everyone.</summary>
        public IEnumerable<PersonFunnel> AnalyzeAll(IEnumerable<CrmRecord> people, IEnumerable<CrmRecord> memberships)
        {
            var byPerson = new Dictionary<string, List<CrmRecord>>(StringComparer.Ordinal);
            foreach (var m in memberships)
            {
                foreach (var key in new[] { m.GetString("ContactId"), m.GetString("LeadId") })
                {
                    if (key == null) continue;
                    if (!byPerson.TryGetValue(key, out var list)) byPerson[key] = list = new List<CrmRecord>();
                    list.Add(m);
                }
            }
            var analyzed = new List<PersonFunnel>();
            foreach (var person in people)
            {
                var id = person.Id;
                var own = id != null && byPerson.TryGetValue(id, out var list) ? list : new List<CrmRecord>();
                // A converted lead's memberships belong to the contact now (ContactId is set on them).
                var isLead = !ObjectTypes.SameType(person.ObjectType, "Contact");
                analyzed.Add(Analyze(person, isLead ? own.Where(m => m.GetString("ContactId") == null) : own));
            }
            // Seed 001: "A contact may be associated with multiple open opportunities - each one associated to a unique
            // Opportunity-Active campaign member response": at most one response per open opportunity, across everyone.
            var byOpportunity = analyzed.SelectMany(p => p.OpportunityActiveResponses.Select(r => (Person: p, Response: r)))
                .GroupBy(x => x.Response.OpportunityId!, StringComparer.Ordinal)
                .Where(g => g.Select(x => x.Response.Id).Distinct(StringComparer.Ordinal).Count() > 1);
            foreach (var g in byOpportunity)
            {
                var responses = g.Select(x => x.Response).GroupBy(r => r.Id, StringComparer.Ordinal).Select(x => x.First()).ToList();
                foreach (var (p, r) in g)
                {
                    p.Violations.Add(new FunnelViolation("MultipleResponsesForOpportunity", p.Id, r.Id,
                        $"Open opportunity {g.Key} has {responses.Count} opportunity-active responses ({string.Join(", ", responses.Select(x => x.Id))}); each open opportunity holds exactly one."));
                }
            }
            return analyzed;
        }

        private void Evaluate(PersonFunnel p)
        {
            if (p.Status != null && p.StatusValue == null)
            {
                p.Violations.Add(new FunnelViolation("UnknownStatus", p.Id, null, $"{p.ObjectType} {p.Id} has status '{p.Status}', which the status configuration does not list."));
            }
            foreach (var r in p.Memberships)
            {
                if (r.IsOpportunityActive)
                {
                    p.OpportunityActiveResponses.Add(r);
                    if (p.ObjectType == "Lead") p.Violations.Add(new FunnelViolation("OpportunityResponseOnLead", p.Id, r.Id, $"Lead {p.Id} has response {r} linked to open opportunity {r.OpportunityId}; only contacts hold opportunity-active responses."));
                    continue;
                }
                if (r.OpportunityId == null && _config.StatusForResponse(p.ObjectType, r.ResponseStatus) != null) p.ActiveResponseCandidates.Add(r);
            }
            var matching = p.ActiveResponseCandidates.Where(r => p.IsActive && string.Equals(_config.StatusForResponse(p.ObjectType, r.ResponseStatus)!.Value, p.Status, StringComparison.OrdinalIgnoreCase)).ToList();
            matching.Sort(Response.CompareAge);
            p.ActiveResponse = matching.FirstOrDefault();
            if (p.IsNonResponseType)
            {
                if (p.ActiveResponseCandidates.Count > 0) p.Violations.Add(new FunnelViolation("ResponseOnNonResponseRecordType", p.Id, p.ActiveResponseCandidates[0].Id, $"{p.ObjectType} {p.Id} is a non-response record type but holds active response {p.ActiveResponseCandidates[0]}."));
                return;
            }
            if (matching.Count > 1)
            {
                p.Violations.Add(new FunnelViolation("MultipleActiveResponses", p.Id, matching[1].Id, $"{p.ObjectType} {p.Id} has {matching.Count} active responses ({string.Join(", ", matching)}); a person holds at most one."));
            }
            if (p.IsActive && p.ActiveResponse == null)
            {
                var other = p.ActiveResponseCandidates.FirstOrDefault();
                if (other != null)
                {
                    p.Violations.Add(new FunnelViolation("ResponseStatusMismatch", p.Id, other.Id, $"{p.ObjectType} {p.Id} has status '{p.Status}' but its open response {other} corresponds to '{_config.StatusForResponse(p.ObjectType, other.ResponseStatus)!.Value}'."));
                }
                else if (!p.IsPassive && (p.ObjectType == "Lead" || p.OpportunityActiveResponses.Count == 0))
                {
                    p.Violations.Add(new FunnelViolation("ActiveStatusWithoutResponse", p.Id, null, $"{p.ObjectType} {p.Id} has active status '{p.Status}' but no active response (allowed only in passive mode)."));
                }
            }
            // Seed 001: "The contact below has an opportunity-active response. The contact status is the configured status in the
            // status settings 'Contact status when converted with Opportunity'" (unless an additional active response sets it, row 5.3-8).
            if (p.ObjectType == "Contact" && p.OpportunityActiveResponses.Count > 0 && p.ActiveResponse == null &&
                !string.Equals(p.Status, _config.ContactStatusWhenConvertedWithOpportunity, StringComparison.OrdinalIgnoreCase))
            {
                p.Violations.Add(new FunnelViolation("OpportunityStatusMismatch", p.Id, p.OpportunityActiveResponses[0].Id,
                    $"Contact {p.Id} has opportunity-active response {p.OpportunityActiveResponses[0]} (opportunity {p.OpportunityActiveResponses[0].OpportunityId}) but status '{p.Status ?? "(none)"}' instead of '{_config.ContactStatusWhenConvertedWithOpportunity}' (contactStatusWhenConvertedWithOpportunity)."));
            }
            if (!p.IsActive && p.StatusValue != null)
            {
                foreach (var r in p.ActiveResponseCandidates)
                {
                    p.Violations.Add(new FunnelViolation("ActiveResponseOnInactiveRecord", p.Id, r.Id, $"{p.ObjectType} {p.Id} has inactive status '{p.Status}' but response {r} is still active; it should have been resolved."));
                }
            }
        }

        internal static bool Truthy(object? value) => value switch
        {
            bool b => b,
            string s => string.Equals(s, "true", StringComparison.OrdinalIgnoreCase) || s == "1",
            long l => l != 0,
            _ => false,
        };
    }
}
