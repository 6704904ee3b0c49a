using System;
using System.Collections.Generic;
using System.Linq;
using LeadTools.Core.Records;

namespace LeadTools.Core.Funnel
{
    /// <summary>A response whose status the merge changes.</summary>
    public sealed class ResponseChange
    {
        internal ResponseChange(Response response, string newStatus, string reason)
        {
            MemberId = response.Id;
            CampaignId = response.CampaignId;
            OldStatus = response.ResponseStatus;
            NewStatus = newStatus;
            Reason = reason;
        }

        /// <summary>The campaign member.</summary>
        public string MemberId { get; }
        /// <summary>Its campaign.</summary>
        public string? CampaignId { get; }
        /// <summary>The response status before.</summary>
        public string? OldStatus { get; }
        /// <summary>The response status after (Resolved - Merged, Resolved - Non-Response RT).</summary>
        public string NewStatus { get; }
        /// <summary>Why.</summary>
        public string Reason { get; }
    }

    /// <summary>What happens to a membership that the merge destroys.</summary>
    public sealed class MembershipDecision
    {
        internal MembershipDecision(Response destroyed, Response kept, bool archived, string? reinsertCampaignId, string reason)
        {
            MemberId = destroyed.Id;
            CampaignId = destroyed.CampaignId;
            KeptMemberId = kept.Id;
            Archived = archived;
            ReinsertedCampaignId = reinsertCampaignId;
            Reason = reason;
            Member = destroyed.Member;
        }

        /// <summary>The destroyed campaign member.</summary>
        public string MemberId { get; }
        /// <summary>Its campaign.</summary>
        public string? CampaignId { get; }
        /// <summary>The membership of the same campaign that survives.</summary>
        public string KeptMemberId { get; }
        /// <summary>True when it was linked to an opportunity and is archived into the opportunity before the merge.</summary>
        public bool Archived { get; }
        /// <summary>Where an archived membership is re-inserted (the system campaign), null when it is only journalled.</summary>
        public string? ReinsertedCampaignId { get; }
        /// <summary>Why.</summary>
        public string Reason { get; }
        /// <summary>The full membership (for the journal).</summary>
        public CrmRecord Member { get; }
    }

    /// <summary>The funnel outcome of merging one group (SPEC 5.3 / 5.4): every decision names its table row and says why.</summary>
    public sealed class FunnelOutcome
    {
        /// <summary>SameType (lead+lead, contact+contact) or Conversion (leads into a contact).</summary>
        public string MergeKind { get; internal set; } = "SameType";
        /// <summary>The table row: "5.3-3", "5.4-1", "5.3-NR", ... (rows beyond the tables start with X).</summary>
        public string Row { get; internal set; } = string.Empty;
        /// <summary>The rule of that row, in words.</summary>
        public string Rule { get; internal set; } = string.Empty;
        /// <summary>The survivor's status after the merge.</summary>
        public string? SurvivingStatus { get; internal set; }
        /// <summary>The active response that survives, if any.</summary>
        public string? SurvivingResponseId { get; internal set; }
        /// <summary>Responses shut down (Resolved - Merged / Resolved - Non-Response RT).</summary>
        public List<ResponseChange> ResolvedResponses { get; } = new List<ResponseChange>();
        /// <summary>Memberships destroyed because the merged records were members of the same campaign.</summary>
        public List<MembershipDecision> DestroyedMemberships { get; } = new List<MembershipDecision>();
        /// <summary>The explanation, sentence by sentence.</summary>
        public List<string> Explanation { get; } = new List<string>();

        /// <summary>The explanation as one paragraph.</summary>
        public string Reason => string.Join(" ", Explanation);
    }

    /// <summary>
    /// Decides the funnel outcome of a merge before anything changes: the surviving status, the surviving
    /// memberships and responses, the responses to resolve and the memberships destroyed, archived and re-inserted.
    /// Pure logic over records; Merge-CrmRecord and Convert-LeadRecord apply it, Get-MergeOutcome shows it.
    /// </summary>
    public sealed class MergeOutcomeEngine
    {
        private readonly FunnelAnalyzer _analyzer;
        private FunnelConfig Config => _analyzer.Config;

        /// <summary>Creates an engine over an analyzer (which holds the configuration, opportunities and campaigns).</summary>
        public MergeOutcomeEngine(FunnelAnalyzer analyzer) => _analyzer = analyzer;

        /// <summary>
        /// The outcome of merging <paramref name="others"/> into <paramref name="survivor"/>. Memberships are those of
        /// every record in the group. <paramref name="selectedStatus"/> is the status the admin picked (default: the survivor's).
        /// </summary>
        public FunnelOutcome Decide(CrmRecord survivor, IReadOnlyList<CrmRecord> others, IEnumerable<CrmRecord> memberships, string? selectedStatus = null)
        {
            var all = new[] { survivor }.Concat(others).ToList();
            var survivorType = ObjectTypes.SameType(survivor.ObjectType, "Contact") ? "Contact" : "Lead";
            var conversion = survivorType == "Contact" && others.Any(o => !ObjectTypes.SameType(o.ObjectType, "Contact"));
            if (conversion && others.Any(o => ObjectTypes.SameType(o.ObjectType, "Contact")))
            {
                throw new ArgumentException("A group that merges leads into a contact must not hold other contacts: merge the contacts first (same-type merges before conversion merges).");
            }
            if (!conversion && others.Any(o => !ObjectTypes.SameType(o.ObjectType, survivor.ObjectType)))
            {
                throw new ArgumentException($"Records of different types ({string.Join(", ", all.Select(r => r.ObjectType).Distinct())}) cannot be merged into a {survivor.ObjectType}.");
            }
            var ids = new HashSet<string>(all.Select(r => r.Id ?? string.Empty), StringComparer.Ordinal);
            var members = memberships.Where(m => ids.Contains(m.GetString("ContactId") ?? string.Empty) || ids.Contains(m.GetString("LeadId") ?? string.Empty)).ToList();
            var people = all.Select(r => _analyzer.Analyze(r, members.Where(m => string.Equals(Owner(m, ids), r.Id, StringComparison.Ordinal)))).ToList();
            var sp = people[0];
            var outcome = new FunnelOutcome { MergeKind = conversion ? "Conversion" : "SameType" };
            selectedStatus ??= sp.Status;
            outcome.SurvivingStatus = selectedStatus;

            // Non-response record types are excluded from funnel processing.
            if (people.All(p => p.IsNonResponseType))
            {
                Set(outcome, conversion ? "5.4-10" : "5.3-NR", "Non-response record types merged with each other: the selected status is kept and nothing else is touched.");
                DedupeMemberships(people, outcome);
                return outcome;
            }
            if (sp.IsNonResponseType)
            {
                Set(outcome, conversion ? "5.4-10" : "5.3-NR", conversion
                    ? "The contact is a non-response record type: its status does not change and the leads' active responses are shut down (Resolved - Non-Response RT)."
                    : "The survivor is a non-response record type: the selected status is kept and every active response the other records bring is shut down (Resolved - Non-Response RT).");
                if (conversion) outcome.SurvivingStatus = sp.Status;
                DedupeMemberships(people, outcome);
                foreach (var p in people.Where(p => !p.IsNonResponseType))
                {
                    foreach (var r in p.ActiveResponseCandidates.Where(r => !Destroyed(outcome, r)))
                    {
                        outcome.ResolvedResponses.Add(new ResponseChange(r, Config.ResolvedNonResponse, $"{p.ObjectType} {p.Id}'s active response {r.Id} cannot live on a non-response record type."));
                    }
                }
                return outcome;
            }

            var sameCampaign = DedupeMemberships(people, outcome);
            // Active responses after de-duplication, each judged against its own record's status: when a record's
            // active response was destroyed, its next matching response (if any) is its active response now.
            var active = people.Select(p => (Person: p, Response: ActiveAfter(p, outcome))).Where(a => a.Response != null).Select(a => (a.Person, Response: a.Response!)).ToList();
            var activeStatuses = people.Count(p => p.IsActive);
            var oppActive = people.Where(p => p.ObjectType == "Contact").SelectMany(p => p.OpportunityActiveResponses).Where(r => !Destroyed(outcome, r)).ToList();
            var ordered = active.OrderBy(a => a.Response, Comparer<Response>.Create(Response.CompareAge)).ToList();
            if (Config.SurvivingResponse == SurvivingResponseRule.Newest) ordered.Reverse();

            if (conversion)
            {
                DecideConversion(outcome, sp, people.Skip(1).ToList(), ordered, oppActive, sameCampaign);
            }
            else
            {
                DecideSameType(outcome, sp, people, ordered, oppActive, activeStatuses, sameCampaign, selectedStatus);
            }
            return outcome;
        }

        private void DecideSameType(FunnelOutcome o, PersonFunnel sp, List<PersonFunnel> people, List<(PersonFunnel Person, Response Response)> active,
            List<Response> oppActive, int activeStatuses, (Response Kept, Response Destroyed)? sameCampaign, string? selected)
        {
            if (sp.ObjectType == "Contact" && oppActive.Count > 0)
            {
                if (active.Count > 0)
                {
                    var first = active[0];
                    if (AdditionalAllowed(first.Response))
                    {
                        Set(o, "5.3-8", "Contacts with an opportunity-active response and an active response, additional response allowed: the oldest active response is kept and sets the contact status; the contact keeps its opportunity-active and one active response.");
                        KeepResponse(o, first, sp.ObjectType);
                        ResolveOthers(o, active.Skip(1), "another active response survives");
                    }
                    else
                    {
                        Set(o, "5.3-9", "Contacts with an opportunity-active response and an active response, additional response NOT allowed: every active response is resolved and the contact status becomes the configured status for contacts converted with an opportunity.");
                        o.SurvivingStatus = Config.ContactStatusWhenConvertedWithOpportunity;
                        ResolveOthers(o, active, "the contact holds an opportunity-active response and may not hold another active one");
                    }
                }
                else if (activeStatuses > 0)
                {
                    Set(o, "5.3-11", "Contacts with an opportunity-active response and an active status without an active response: the contact status becomes the configured status for contacts converted with an opportunity.");
                    o.SurvivingStatus = Config.ContactStatusWhenConvertedWithOpportunity;
                }
                else
                {
                    Set(o, "5.3-10", "Contacts with an opportunity-active response and inactive statuses: the contact status becomes the configured status for contacts converted with an opportunity.");
                    o.SurvivingStatus = Config.ContactStatusWhenConvertedWithOpportunity;
                }
                o.Explanation.Add($"Opportunity-active response(s) kept: {string.Join(", ", oppActive.Select(r => r.Id))}.");
                return;
            }

            if (sameCampaign.HasValue && (IsActiveResponse(people, sameCampaign.Value.Kept) || IsActiveResponse(people, sameCampaign.Value.Destroyed)) && active.Count <= 1)
            {
                var (kept, destroyed) = sameCampaign.Value;
                var bothActive = IsActiveResponse(people, kept) && IsActiveResponse(people, destroyed);
                if (bothActive) Set(o, "5.3-5", "Active responses from the same campaign: one membership is destroyed and the status comes from the surviving membership's response.");
                else Set(o, "5.3-7", "One active and one inactive response from the same campaign: one membership is destroyed and the status comes from the surviving membership.");
                var status = Config.StatusForResponse(sp.ObjectType, kept.ResponseStatus);
                if (status != null)
                {
                    o.SurvivingStatus = status.Value;
                    o.SurvivingResponseId = kept.Id;
                    o.Explanation.Add($"The surviving membership {kept} sets the status '{status.Value}'.");
                }
                else
                {
                    o.Explanation.Add($"The surviving membership {kept} has no active response status, so the selected status '{selected}' is kept.");
                    ResolveOthers(o, active, "its membership's response does not survive");
                }
                return;
            }

            switch (active.Count)
            {
                case 0 when activeStatuses == 0:
                    Set(o, "5.3-1", "All records are inactive: the selected inactive status is kept.");
                    if (Config.Status(sp.ObjectType, selected)?.Active == true)
                    {
                        o.Explanation.Add($"(The selected status '{selected}' is active although no record was; it is kept as selected.)");
                    }
                    return;
                case 0:
                    Set(o, "X-1", "Active statuses without active responses (passive mode): no response decides, so the selected status is kept.");
                    return;
                case 1 when activeStatuses <= 1:
                    Set(o, "5.3-2", "One record has an active status with an active response: the status of that response survives, even if an inactive status was selected.");
                    KeepResponse(o, active[0], sp.ObjectType);
                    return;
                case 1:
                    Set(o, "5.3-4", "Several active statuses but only one active response (passive): the status of the active response survives.");
                    KeepResponse(o, active[0], sp.ObjectType);
                    return;
                default:
                    Set(o, "5.3-3", $"Two or more active statuses with active responses: the status of the {(Config.SurvivingResponse == SurvivingResponseRule.Oldest ? "oldest" : "newest")} active response (by response date) survives; the other active responses are resolved as merged.");
                    KeepResponse(o, active[0], sp.ObjectType);
                    ResolveOthers(o, active.Skip(1), "another active response survives");
                    return;
            }
        }

        private void DecideConversion(FunnelOutcome o, PersonFunnel contact, List<PersonFunnel> leads, List<(PersonFunnel Person, Response Response)> active,
            List<Response> oppActive, (Response Kept, Response Destroyed)? sameCampaign)
        {
            o.SurvivingStatus = contact.Status;
            var leadActive = active.Where(a => a.Person.ObjectType == "Lead").ToList();
            var contactActive = active.FirstOrDefault(a => ReferenceEquals(a.Person, contact));
            if (oppActive.Count > 0)
            {
                if (leadActive.Count > 0)
                {
                    if (AdditionalAllowed(leadActive[0].Response))
                    {
                        Set(o, "5.4-6", "Leads with active responses into a contact with an opportunity-active response, additional response allowed: the oldest active response is kept and sets the contact status.");
                        KeepResponse(o, active[0], "Contact");
                        ResolveOthers(o, active.Skip(1), "another active response survives");
                    }
                    else
                    {
                        Set(o, "5.4-7", "Leads with active responses into a contact with an opportunity-active response, additional response NOT allowed: the contact status stays and the leads' active responses are resolved as merged.");
                        ResolveOthers(o, leadActive, "the contact holds an opportunity-active response and may not hold another active one");
                    }
                }
                else if (leads.Any(l => l.IsActive))
                {
                    Set(o, "5.4-9", "Leads with an active status but no active response into a contact with an opportunity-active response: the contact status stays.");
                }
                else
                {
                    Set(o, "5.4-8", "Inactive leads into a contact with an opportunity-active response: the contact status stays.");
                }
                return;
            }
            if (contact.ActiveResponse != null && sameCampaign.HasValue && active.Count <= 1 &&
                IsActiveResponse(new[] { contact }, sameCampaign.Value.Kept) != IsActiveResponse(new[] { contact }, sameCampaign.Value.Destroyed) &&
                IsActiveResponse(leads.Concat(new[] { contact }), sameCampaign.Value.Kept) && IsActiveResponse(leads.Concat(new[] { contact }), sameCampaign.Value.Destroyed))
            {
                Set(o, "5.4-2", "Lead and contact active responses from the same campaign: one membership is destroyed and the contact status comes from the surviving membership's response.");
                var kept = sameCampaign.Value.Kept;
                var owner = leads.Concat(new[] { contact }).First(p => ReferenceEquals(p.ActiveResponse, kept));
                KeepResponse(o, (owner, kept), "Contact");
                return;
            }
            if (contactActive.Response != null)
            {
                if (leadActive.Count > 0)
                {
                    Set(o, "5.4-1", $"Lead and contact active responses from different campaigns: the {(Config.SurvivingResponse == SurvivingResponseRule.Oldest ? "oldest" : "newest")} active response survives and sets the contact status; the others are resolved as merged.");
                    KeepResponse(o, active[0], "Contact");
                    ResolveOthers(o, active.Skip(1), "another active response survives");
                }
                else
                {
                    Set(o, "5.4-3", "Inactive leads into a contact with an active response: the contact's active status and response are kept.");
                    o.SurvivingResponseId = contactActive.Response.Id;
                }
                return;
            }
            if (leadActive.Count > 0)
            {
                Set(o, "5.4-5", $"Leads with active responses into an inactive contact: the {(Config.SurvivingResponse == SurvivingResponseRule.Oldest ? "oldest" : "newest")} active response survives and sets the contact status; the others are resolved as merged.");
                KeepResponse(o, leadActive[0], "Contact");
                ResolveOthers(o, leadActive.Skip(1), "another active response survives");
                return;
            }
            if (leads.All(l => !l.IsActive) && !contact.IsActive)
            {
                var lead = leads[0];
                if (lead.Status != null && Config.LeadConversionStatusOverrides.TryGetValue(lead.Status, out var mapped))
                {
                    Set(o, "5.4-4", $"Inactive leads into an inactive contact: the lead-conversion status override maps '{lead.Status}' to '{mapped}'.");
                    o.SurvivingStatus = mapped;
                }
                else
                {
                    Set(o, "5.4-4", $"Inactive leads into an inactive contact: no lead-conversion status override for '{lead.Status}', so the contact status '{contact.Status}' stays.");
                }
                return;
            }
            Set(o, "X-2", "Leads with an active status but no active response (passive) into a contact without an active response: no response decides, so the contact status stays.");
        }

        /// <summary>Same-campaign memberships: one survives per campaign (SPEC 5.2); returns the pair that decided a status row, if any.</summary>
        private (Response Kept, Response Destroyed)? DedupeMemberships(List<PersonFunnel> people, FunnelOutcome o)
        {
            (Response, Response)? first = null;
            var all = people.SelectMany(p => p.Memberships).Where(r => r.CampaignId != null);
            foreach (var group in all.GroupBy(r => r.CampaignId!, StringComparer.Ordinal).Where(g => g.Count() > 1).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var ranked = group.ToList();
                ranked.Sort(CompareForSurvival);
                var kept = ranked[0];
                foreach (var destroyed in ranked.Skip(1))
                {
                    var archived = destroyed.OpportunityId != null;
                    var reinsert = archived ? Config.SystemCampaignId : null;
                    var reason = $"Same campaign {group.Key}: membership {kept.Id} survives ({Config.MembershipSurvivor.ToString().ToLowerInvariant()} rule), {destroyed.Id} is destroyed and kept in the journal.";
                    if (archived)
                    {
                        reason += reinsert != null
                            ? $" It was linked to opportunity {destroyed.OpportunityId}, so it is archived into the opportunity first and re-inserted in the system campaign {reinsert}, since the survivor already holds campaign {group.Key}."
                            : $" It was linked to opportunity {destroyed.OpportunityId}, so it is archived into the opportunity first; no system campaign is configured, so it is not re-inserted.";
                    }
                    o.DestroyedMemberships.Add(new MembershipDecision(destroyed, kept, archived, reinsert, reason));
                    o.Explanation.Add(reason);
                    first ??= (kept, destroyed);
                }
            }
            return first;
        }

        private int CompareForSurvival(Response a, Response b)
        {
            switch (Config.MembershipSurvivor)
            {
                case MembershipSurvivorRule.Newest:
                    return -CompareCreated(a, b);
                case MembershipSurvivorRule.Responded:
                    var ra = a.ResponseStatus != null;
                    var rb = b.ResponseStatus != null;
                    if (ra != rb) return ra ? -1 : 1;
                    return CompareCreated(a, b);
                case MembershipSurvivorRule.MostProgressed:
                    var pa = Progress(a);
                    var pb = Progress(b);
                    if (pa != pb) return pb.CompareTo(pa);
                    return CompareCreated(a, b);
                default:
                    return CompareCreated(a, b);
            }
        }

        private int Progress(Response r) => Math.Max(Config.StatusForResponse("Lead", r.ResponseStatus)?.Order ?? 0, Config.StatusForResponse("Contact", r.ResponseStatus)?.Order ?? 0);

        private static int CompareCreated(Response a, Response b)
        {
            // Dates written differently (+0000, Z, offsets) compare as instants.
            var c = string.CompareOrdinal(Response.Date(a.CreatedDate), Response.Date(b.CreatedDate));
            return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
        }

        private bool AdditionalAllowed(Response candidate) => Config.AdditionalResponse switch
        {
            AdditionalResponseRule.Always => true,
            AdditionalResponseRule.Never => false,
            _ => _analyzer.IsResponsePrompt(candidate.CampaignId),
        };

        private Response? ActiveAfter(PersonFunnel p, FunnelOutcome o)
        {
            if (!p.IsActive) return null;
            var matching = p.ActiveResponseCandidates
                .Where(r => !Destroyed(o, r) && string.Equals(Config.StatusForResponse(p.ObjectType, r.ResponseStatus)!.Value, p.Status, StringComparison.OrdinalIgnoreCase))
                .ToList();
            matching.Sort(Response.CompareAge);
            return matching.FirstOrDefault();
        }

        private static bool IsActiveResponse(IEnumerable<PersonFunnel> people, Response r) => people.Any(p => ReferenceEquals(p.ActiveResponse, r));

        private static bool Destroyed(FunnelOutcome o, Response r) => o.DestroyedMemberships.Any(d => string.Equals(d.MemberId, r.Id, StringComparison.Ordinal));

        private void KeepResponse(FunnelOutcome o, (PersonFunnel Person, Response Response) a, string survivorType)
        {
            o.SurvivingResponseId = a.Response.Id;
            var status = Config.StatusForResponse(survivorType, a.Response.ResponseStatus);
            if (status != null) o.SurvivingStatus = status.Value;
            o.Explanation.Add($"Surviving active response: {a.Response} of {a.Person.ObjectType} {a.Person.Id}; status '{o.SurvivingStatus}'.");
        }

        private void ResolveOthers(FunnelOutcome o, IEnumerable<(PersonFunnel Person, Response Response)> responses, string why)
        {
            foreach (var (p, r) in responses)
            {
                if (string.Equals(r.Id, o.SurvivingResponseId, StringComparison.Ordinal)) continue;
                o.ResolvedResponses.Add(new ResponseChange(r, Config.ResolvedMerged, $"{p.ObjectType} {p.Id}'s active response {r.Id} is resolved: {why}."));
                o.Explanation.Add($"Response {r} -> '{Config.ResolvedMerged}' ({why}).");
            }
        }

        private static void Set(FunnelOutcome o, string row, string rule)
        {
            o.Row = row;
            o.Rule = rule;
            o.Explanation.Insert(0, $"Row {row}: {rule}");
        }

        private static string? Owner(CrmRecord member, HashSet<string> ids)
        {
            var contact = member.GetString("ContactId");
            if (contact != null && ids.Contains(contact)) return contact;
            return member.GetString("LeadId");
        }
    }
}
