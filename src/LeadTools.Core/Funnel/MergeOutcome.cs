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
        internal MembershipDecision(Response destroyed, Response kept, bool archived, string? reinsertCampaignId, string? reinsertedAs, string reason)
        {
            MemberId = destroyed.Id;
            CampaignId = destroyed.CampaignId;
            KeptMemberId = kept.Id;
            OpportunityId = destroyed.OpportunityId;
            Archived = archived;
            ReinsertedCampaignId = reinsertCampaignId;
            ReinsertedAs = reinsertedAs;
            Reason = reason;
            Member = destroyed.Member;
            IsOpportunityActive = destroyed.IsOpportunityActive;
        }

        /// <summary>The destroyed campaign member.</summary>
        public string MemberId { get; }
        /// <summary>Its campaign.</summary>
        public string? CampaignId { get; }
        /// <summary>The membership of the same campaign that survives.</summary>
        public string KeptMemberId { get; }
        /// <summary>The opportunity it was linked to, if any.</summary>
        public string? OpportunityId { get; }
        /// <summary>
        /// True when it was linked to an opportunity and goes into the opportunity's archive field. Get-MergeOutcome says
        /// what is to be done; Merge-CrmRecord and Convert-LeadRecord set it to what was done (false when the opportunity
        /// was not given or its archive field could not take it).
        /// </summary>
        public bool Archived { get; internal set; }
        /// <summary>Where an archived membership is re-inserted (its repeat campaign or the system campaign), null when it is only journalled.</summary>
        public string? ReinsertedCampaignId { get; }
        /// <summary>RepeatMember (its own campaign's repeat campaign), SystemCampaign, or null (not re-inserted).</summary>
        public string? ReinsertedAs { get; }
        /// <summary>True when the destroyed membership was an opportunity-active response (it lives on where it is re-inserted).</summary>
        public bool IsOpportunityActive { get; }
        /// <summary>Why, and what was done.</summary>
        public string Reason { get; internal set; }
        /// <summary>The full membership (for the journal).</summary>
        public CrmRecord Member { get; }
    }

    /// <summary>The funnel outcome of merging one group (SPEC 5.3 / 5.4): every decision names its table row and says why.</summary>
    public sealed class FunnelOutcome
    {
        /// <summary>The group label (Find-CrmDuplicate's GroupId, a merge group's label), when there is one.</summary>
        public string? GroupId { get; internal set; }
        /// <summary>The survivor (for a conversion: the contact).</summary>
        public string? SurvivorId { get; internal set; }
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
        /// <summary>What the admin must know: no system campaign, an opportunity not given, an archive field left as it was.</summary>
        public List<string> Warnings { get; } = new List<string>();
        /// <summary>True when the user doing the merge runs in passive mode (-PassiveUser or passive.mergingUser).</summary>
        public bool PassiveUser { get; internal set; }

        /// <summary>Replaces the sentence about a destroyed membership by what was actually done.</summary>
        internal void Restate(MembershipDecision d, string reason)
        {
            var i = Explanation.IndexOf(d.Reason);
            if (i >= 0) Explanation[i] = reason;
            d.Reason = reason;
        }

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
        private readonly bool _passiveUser;
        private FunnelConfig Config => _analyzer.Config;

        /// <summary>
        /// Creates an engine over an analyzer (which holds the configuration, opportunities and campaigns);
        /// <paramref name="passiveUser"/>: the user doing the merge runs in passive mode (also <c>passive.mergingUser</c>).
        /// </summary>
        public MergeOutcomeEngine(FunnelAnalyzer analyzer, bool passiveUser = false)
        {
            _analyzer = analyzer;
            _passiveUser = passiveUser || analyzer.Config.PassiveMergingUser || analyzer.Config.PassiveOrg;
        }

        /// <summary>
        /// The outcome of merging <paramref name="others"/> into <paramref name="survivor"/>. Memberships are those of
        /// every record in the group. <paramref name="selectedStatus"/> is the status the admin picked (default: the survivor's).
        /// </summary>
        public FunnelOutcome Decide(CrmRecord survivor, IReadOnlyList<CrmRecord> others, IEnumerable<CrmRecord> memberships, string? selectedStatus = null, string? groupId = null)
        {
            // The others in id order: the outcome must not depend on the order the records came in.
            others = others.OrderBy(o => o.Id ?? string.Empty, StringComparer.Ordinal).ToList();
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
            var outcome = new FunnelOutcome { MergeKind = conversion ? "Conversion" : "SameType", PassiveUser = _passiveUser, GroupId = groupId, SurvivorId = survivor.Id };
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
            // An opportunity-active response destroyed by de-duplication and re-inserted lives on (seed 001: Funnel Metrics
            // "will attempt to re-insert it"): it still holds the contact (rows 5.3-8..11, 5.4-6..9).
            var oppActive = people.Where(p => p.ObjectType == "Contact").SelectMany(p => p.OpportunityActiveResponses).Where(r => !Destroyed(outcome, r) || Reinserted(outcome, r)).ToList();
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
                var keptActive = IsActiveResponse(people, kept);
                if (keptActive && IsActiveResponse(people, destroyed))
                {
                    Set(o, "5.3-5", "Active responses from the same campaign: one membership is destroyed and the status comes from the surviving membership's response.");
                }
                else
                {
                    Set(o, "5.3-7", "One active and one inactive response from the same campaign: one membership is destroyed and the surviving campaign determines the status.");
                }
                if (keptActive)
                {
                    var status = Config.StatusForResponse(sp.ObjectType, kept.ResponseStatus);
                    o.SurvivingStatus = status?.Value ?? selected;
                    o.SurvivingResponseId = kept.Id;
                    o.Explanation.Add($"The surviving membership {kept} sets the status '{o.SurvivingStatus}'.");
                }
                else if (active.Count == 1)
                {
                    // The destroyed membership held the active response; its record's next matching response takes over.
                    o.Explanation.Add($"The active response {destroyed.Id} was destroyed; {active[0].Person.ObjectType} {active[0].Person.Id}'s next matching response takes its place.");
                    KeepResponse(o, active[0], sp.ObjectType);
                }
                else
                {
                    // The surviving membership's response is inactive: no active response survives, so the status must be inactive.
                    var owner = people.FirstOrDefault(p => p.Memberships.Contains(kept));
                    var inactive = owner != null && owner.StatusValue != null && !owner.IsActive ? owner.Status
                        : Config.Status(sp.ObjectType, selected)?.Active == false ? selected
                        : people.FirstOrDefault(p => p.StatusValue != null && !p.IsActive)?.Status;
                    if (inactive != null)
                    {
                        o.SurvivingStatus = inactive;
                        o.Explanation.Add($"The surviving membership {kept} has no active response, so no active response survives and the status is the inactive '{inactive}'{(owner != null && string.Equals(owner.Status, inactive, StringComparison.Ordinal) ? $" of {owner.ObjectType} {owner.Id}, whose membership survived" : string.Empty)}.");
                    }
                    else
                    {
                        o.Explanation.Add($"The surviving membership {kept} has no active response, but no record has an inactive status to take: the selected status '{selected}' is kept.");
                        o.Warnings.Add($"Group with survivor {sp.Id}: the surviving membership {kept.Id} is not an active response and no record has an inactive status; the selected active status '{selected}' remains without an active response.");
                    }
                }
                return;
            }

            switch (active.Count)
            {
                case 0 when activeStatuses == 0:
                    Set(o, "5.3-1", "All records are inactive: the selected inactive status is kept.");
                    if (Config.Status(sp.ObjectType, selected)?.Active == true)
                    {
                        if (_passiveUser)
                        {
                            o.Explanation.Add($"The selected status '{selected}' is active although no record was; the user doing the merge is passive, so it is kept without an active response.");
                        }
                        else
                        {
                            // Outside passive mode an active status needs an active response, which none of the records has.
                            o.SurvivingStatus = sp.Status;
                            o.Explanation.Add($"The selected status '{selected}' is active but no record has an active response, and the user doing the merge is not passive: the survivor keeps its inactive status '{sp.Status}'.");
                        }
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
                // Several leads: the one whose status was set last speaks for the person (the order they came in does not matter).
                var lead = leads.OrderByDescending(l => Response.Date(StatusDate(l.Person)) == "\uffff" ? string.Empty : Response.Date(StatusDate(l.Person)), StringComparer.Ordinal)
                    .ThenBy(l => l.Id, StringComparer.Ordinal).First();
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
                    string? reinsert = null;
                    string? reinsertAs = null;
                    var reason = $"Same campaign {group.Key}: membership {kept.Id} survives ({Config.MembershipSurvivor.ToString().ToLowerInvariant()} rule), {destroyed.Id} is destroyed and kept in the journal.";
                    if (archived)
                    {
                        // Seed 001: Funnel Metrics "will attempt to re-insert it (potentially as a repeat campaign/member). If it
                        // cannot do so, it will add a member to the Full Circle System Campaign".
                        if (Config.RepeatCampaigns.TryGetValue(group.Key, out var repeat) && !HoldsCampaign(people, o, repeat))
                        {
                            reinsert = repeat;
                            reinsertAs = "RepeatMember";
                        }
                        else if (Config.SystemCampaignId != null)
                        {
                            reinsert = Config.SystemCampaignId;
                            reinsertAs = "SystemCampaign";
                        }
                        reason += reinsertAs switch
                        {
                            "RepeatMember" => $" It was linked to opportunity {destroyed.OpportunityId}: it is archived into the opportunity and re-inserted as a repeat member of its campaign (repeat campaign {reinsert}).",
                            "SystemCampaign" => $" It was linked to opportunity {destroyed.OpportunityId}: it is archived into the opportunity and re-inserted in the system campaign {reinsert}, since the survivor already holds campaign {group.Key}{(Config.RepeatCampaigns.ContainsKey(group.Key) ? " and its repeat campaign" : string.Empty)}.",
                            _ => $" It was linked to opportunity {destroyed.OpportunityId}: it is archived into the opportunity; no system campaign is configured, so it is not re-inserted.",
                        };
                        if (reinsert == null)
                        {
                            o.Warnings.Add($"Membership {destroyed.Id} (campaign {group.Key}, opportunity {destroyed.OpportunityId}) is destroyed and not re-inserted: no system campaign is configured (systemCampaignId){(Config.RepeatCampaigns.ContainsKey(group.Key) ? string.Empty : " and the campaign has no repeat campaign (repeatCampaigns)")}; it is kept in the journal and the opportunity's archive.");
                        }
                    }
                    o.DestroyedMemberships.Add(new MembershipDecision(destroyed, kept, archived, reinsert, reinsertAs, reason));
                    o.Explanation.Add(reason);
                    first ??= (kept, destroyed);
                }
            }
            return first;
        }

        private static bool HoldsCampaign(List<PersonFunnel> people, FunnelOutcome o, string campaignId) =>
            people.Any(p => p.Memberships.Any(m => string.Equals(m.CampaignId, campaignId, StringComparison.Ordinal) && !Destroyed(o, m)))
            || o.DestroyedMemberships.Any(d => string.Equals(d.ReinsertedCampaignId, campaignId, StringComparison.Ordinal));

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

        private string? StatusDate(CrmRecord person)
        {
            var field = Config.StatusDateFieldOf(ObjectTypes.SameType(person.ObjectType, "Contact") ? "Contact" : "Lead");
            return (field != null ? person.GetString(field) : null) ?? person.GetString("LastModifiedDate");
        }

        private static bool Reinserted(FunnelOutcome o, Response r) => o.DestroyedMemberships.Any(d => string.Equals(d.MemberId, r.Id, StringComparison.Ordinal) && d.ReinsertedCampaignId != null);

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
