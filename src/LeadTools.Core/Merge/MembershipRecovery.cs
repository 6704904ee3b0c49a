using System;
using System.Collections.Generic;
using System.Linq;
using LeadTools.Core.Funnel;
using LeadTools.Core.Records;

namespace LeadTools.Core.Merge
{
    /// <summary>The records a merge or conversion produces for the memberships it destroys.</summary>
    public sealed class MembershipRecoveryResult
    {
        /// <summary>Campaign members destroyed (as they were).</summary>
        public List<CrmRecord> Destroyed { get; } = new List<CrmRecord>();
        /// <summary>Opportunities whose archive field took a destroyed membership (updated copies).</summary>
        public List<CrmRecord> OpportunitiesArchived { get; } = new List<CrmRecord>();
        /// <summary>Destroyed memberships re-inserted on the survivor (new records).</summary>
        public List<CrmRecord> Reinserted { get; } = new List<CrmRecord>();
    }

    /// <summary>
    /// SPEC 5.2 applied, the same way for merges and conversions: every membership the funnel outcome destroys goes to the
    /// journal; an opportunity-linked one is archived into the opportunity's archive field (in the format the field holds)
    /// and re-inserted on the survivor (as a repeat member of its campaign, or in the system campaign). The decision text
    /// is restated to say what was actually done, and every gap is a warning.
    /// </summary>
    public static class MembershipRecovery
    {
        /// <summary>
        /// Applies the destroyed-membership decisions of <paramref name="funnel"/>. <paramref name="opportunities"/> is
        /// updated with the archived copies, so a later merge of the run appends to what this one wrote.
        /// <paramref name="conversion"/>: memberships move from leads to the contact (ContactId set, LeadId kept as Salesforce does).
        /// </summary>
        public static MembershipRecoveryResult Apply(FunnelOutcome funnel, FunnelConfig config, IEnumerable<CrmRecord> members, IDictionary<string, CrmRecord> opportunities,
            ISet<string> fromIds, string survivorId, bool conversion, JournalEntry entry)
        {
            var result = new MembershipRecoveryResult();
            var byId = members.Where(m => m.Id != null).GroupBy(m => m.Id!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var d in funnel.DestroyedMemberships)
            {
                var member = byId.TryGetValue(d.MemberId, out var m) ? m : d.Member;
                entry.Before.Add(member.Clone());
                entry.Destroyed.Add(member.Id!);
                result.Destroyed.Add(member);
                var said = new List<string>
                {
                    $"Same campaign {d.CampaignId}: membership {d.KeptMemberId} survives ({config.MembershipSurvivor.ToString().ToLowerInvariant()} rule), {d.MemberId} was destroyed and is kept in the journal.",
                };
                if (d.OpportunityId != null)
                {
                    d.Archived = false;
                    if (!opportunities.TryGetValue(d.OpportunityId, out var opp))
                    {
                        said.Add($"It was linked to opportunity {d.OpportunityId}, which was not given (-RelatedRecord), so it was not archived into the opportunity.");
                        funnel.Warnings.Add($"Membership {d.MemberId} is linked to opportunity {d.OpportunityId}, which was not among the related records: its archive field ({config.ArchiveField}) was not updated. Pass the opportunities with -RelatedRecord; the membership is in the journal.");
                    }
                    else
                    {
                        var append = MembershipArchive.Append(opp.GetString(config.ArchiveField), member, config.ArchiveFormat);
                        if (append.Warning != null)
                        {
                            said.Add($"It was linked to opportunity {d.OpportunityId}; it was not archived into the opportunity: {append.Warning}");
                            funnel.Warnings.Add($"Opportunity {d.OpportunityId}: {append.Warning}");
                        }
                        else if (!append.Changed)
                        {
                            d.Archived = true;
                            said.Add($"It was linked to opportunity {d.OpportunityId}, whose archive field already holds it ({append.Format}).");
                        }
                        else
                        {
                            d.Archived = true;
                            // The before-image names the archive field even when it was absent, so undo clears what was written.
                            var before = opp.Clone();
                            if (!before.Has(config.ArchiveField)) before.Add(config.ArchiveField, null);
                            if (!entry.Before.Any(b => ObjectTypes.SameType(b.ObjectType, "Opportunity") && string.Equals(b.Id, opp.Id, StringComparison.Ordinal))) entry.Before.Add(before);
                            var archived = opp.Clone();
                            archived.Set(config.ArchiveField, append.Text);
                            opportunities[d.OpportunityId] = archived;
                            result.OpportunitiesArchived.RemoveAll(o => string.Equals(o.Id, archived.Id, StringComparison.Ordinal));
                            result.OpportunitiesArchived.Add(archived);
                            said.Add($"It was linked to opportunity {d.OpportunityId} and was archived into its {config.ArchiveField} ({append.Format}).");
                        }
                    }
                    if (d.ReinsertedCampaignId != null)
                    {
                        var copy = member.Clone();
                        var newId = Conversion.LeadConverter.ProvisionalId("00v", member.Id + "@" + d.ReinsertedCampaignId);
                        copy.Set("Id", newId);
                        copy.Set("CampaignId", d.ReinsertedCampaignId);
                        if (conversion)
                        {
                            // A new member of the contact: Salesforce refuses a converted lead in LeadId on insert.
                            copy.Set("ContactId", survivorId);
                            copy.Remove("LeadId");
                        }
                        else Reparent(copy, fromIds, survivorId);
                        entry.Created.Add(newId);
                        result.Reinserted.Add(copy);
                        said.Add(d.ReinsertedAs == "RepeatMember"
                            ? $"It was re-inserted as {newId}, a repeat member of its campaign (repeat campaign {d.ReinsertedCampaignId})."
                            : $"It was re-inserted as {newId} in the system campaign {d.ReinsertedCampaignId}.");
                    }
                    else
                    {
                        said.Add("It was not re-inserted: no system campaign is configured.");
                    }
                }
                funnel.Restate(d, string.Join(" ", said));
            }
            return result;
        }

        /// <summary>Points every lookup holding one of <paramref name="from"/> to <paramref name="to"/>.</summary>
        internal static bool Reparent(CrmRecord record, ISet<string> from, string to)
        {
            var changed = false;
            for (var i = 0; i < record.Count; i++)
            {
                var name = record.NameAt(i);
                if (string.Equals(name, "Id", StringComparison.OrdinalIgnoreCase) || !IsReferenceField(name)) continue;
                if (record.ValueAt(i) is string v && from.Contains(v) && !string.Equals(v, to, StringComparison.Ordinal))
                {
                    record.Set(name, to);
                    changed = true;
                }
            }
            return changed;
        }

        internal static bool IsReferenceField(string name) =>
            name.EndsWith("Id", StringComparison.OrdinalIgnoreCase) || name.EndsWith("__c", StringComparison.OrdinalIgnoreCase);
    }
}
