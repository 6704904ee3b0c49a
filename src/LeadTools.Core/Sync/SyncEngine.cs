using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using LeadTools.Core.Records;

namespace LeadTools.Core.Sync
{
    /// <summary>
    /// Computes a two-way sync (SPEC 7, seed 003) from a local snapshot, a Salesforce snapshot, a profile and the
    /// stored state, without changing any input. Objects run in the order Accounts, Campaigns, Opportunities, Leads,
    /// Contacts, lead score, Events, so later steps can resolve what earlier ones inserted.
    /// <para>Snapshot conventions: local records carry the Salesforce id in <see cref="SyncProfile.CrmIdField"/> and their
    /// modification time in <see cref="SyncProfile.LocalModifiedField"/>; local object types are Account, Campaign,
    /// Opportunity, DealStage, Lead, Contact and Event. "Modified since last sync" is strictly after the object's last
    /// sync time (everything on the first sync; a record without a time counts as modified). Fields are compared when
    /// present on both sides (after the profile's name map); inserts copy every non-system field.</para>
    /// </summary>
    public sealed class SyncEngine
    {
        private static readonly HashSet<string> SystemFields = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Id", "attributes", "CreatedDate", "CreatedById", "LastModifiedById", "SystemModstamp", "IsDeleted", "OwnerId",
            "LastActivityDate", "LastViewedDate", "LastReferencedDate", "IsPersonAccount", "ConvertedOpportunityId",
            // The record's type as a JSON Lines snapshot carries it: never a field Salesforce would take.
            "ObjectType",
        };

        private readonly SyncProfile _p;
        private readonly SyncState _old;
        private readonly SyncState _state;
        private readonly DateTimeOffset _now;
        private readonly List<SyncChange> _changes = new List<SyncChange>();
        private readonly List<SyncChange> _skipped = new List<SyncChange>();
        private readonly Dictionary<string, List<CrmRecord>> _local = new Dictionary<string, List<CrmRecord>>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, List<CrmRecord>> _sf = new Dictionary<string, List<CrmRecord>>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Dictionary<string, CrmRecord>> _sfById = new Dictionary<string, Dictionary<string, CrmRecord>>(StringComparer.OrdinalIgnoreCase);
        // Local id of a Salesforce id, per type (CRM id field, external id, state link; inserts of this run added).
        private readonly Dictionary<string, Dictionary<string, string>> _localIdOfSf = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Dictionary<string, object?>> _localInserts = new Dictionary<string, Dictionary<string, object?>>(StringComparer.Ordinal);
        private readonly Dictionary<string, Dictionary<string, string>> _sfIdOfLocal = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Dictionary<string, CrmRecord>> _localById = new Dictionary<string, Dictionary<string, CrmRecord>>(StringComparer.OrdinalIgnoreCase);
        // Every local record with an id, per type: its CRM id value and (leads, contacts) its trimmed email. Leads and
        // contacts are kept whole (in _local) only when a step needs them; these entries answer the other questions.
        private readonly Dictionary<string, Dictionary<string, LocalEntry>> _localAll = new Dictionary<string, Dictionary<string, LocalEntry>>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _localTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // Every Salesforce id, per type.
        private readonly Dictionary<string, HashSet<string>> _sfAll = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, Dictionary<string, List<string>>> _localIdsByEmail = new Dictionary<string, Dictionary<string, List<string>>>(StringComparer.OrdinalIgnoreCase);
        // The newest modification time seen per object key, per side (the watermark candidates).
        private readonly Dictionary<string, DateTimeOffset> _localNewest = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, DateTimeOffset> _sfNewest = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        // A snapshot read with errors (accepted as a partial run): nothing is inserted on the other side, the watermarks stay.
        private bool _localIncomplete;
        private bool _sfIncomplete;
        private DateTimeOffset? _eventsLimit;

        // Leads converted in Salesforce (IsConverted with a ConvertedContactId), every one in the snapshot, modified or
        // not: Salesforce lead id -> contact id, and contact id -> the lead ids converted into it (in id order).
        private readonly Dictionary<string, string> _convertedLeads = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<string>> _convertedInto = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        // Their external id and trimmed email, to find their local lead as Leads.2 does without holding them whole.
        private readonly Dictionary<string, (string? Ext, string? Email)> _convertedKeys = new Dictionary<string, (string?, string?)>(StringComparer.Ordinal);
        // Local leads that stand for a Salesforce contact (converted in Salesforce: marked as a contact and linked to it).
        private readonly HashSet<string> _contactLeads = new HashSet<string>(StringComparer.Ordinal);
        // Salesforce contacts resolved by a conversion in this run (the Contacts pass leaves them alone).
        private readonly HashSet<string> _convertedContactsDone = new HashSet<string>(StringComparer.Ordinal);
        // Local leads converted (or held back as duplicates of a conversion) in this run: not pushed, not pulled again.
        private readonly HashSet<string> _convertedLocalLeads = new HashSet<string>(StringComparer.Ordinal);
        // Converted Salesforce leads whose local lead the Conversions step found (converted, already done or held back).
        private readonly HashSet<string> _conversionSeen = new HashSet<string>(StringComparer.Ordinal);

        // Lookup fields of leads, contacts and accounts and the type they point to: their ids are translated through the
        // links (a local id never reaches Salesforce, a Salesforce id never stays in a local record).
        private static readonly Dictionary<string, string> Lookups = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["AccountId"] = "Account", ["ReportsToId"] = "Contact", ["CampaignId"] = "Campaign", ["ConvertedAccountId"] = "Account",
            ["ConvertedContactId"] = "Contact", ["ParentId"] = "Account", ["OpportunityId"] = "Opportunity",
        };

        private bool IsPending(SyncSide side, string type, string? id) => id != null && _old.PendingRecords.Count > 0 && _old.PendingRecords.Contains(SyncState.PendingKey(side, type, id));

        private void HoldPending(SyncSide side, string type, string id) => _state.PendingRecords.Add(SyncState.PendingKey(side, type, id));

        /// <summary>The object keys whose watermarks a run moves (the keys that select modified records).</summary>
        internal static readonly string[] WatermarkKeys = { "Accounts", "Campaigns", "Opportunities", "Leads", "Contacts", "Events" };

        private readonly struct LocalEntry
        {
            public LocalEntry(object? crm, string? email)
            {
                Crm = crm;
                Email = email;
            }

            public object? Crm { get; }
            public string? Email { get; }
        }

        private SyncEngine(SyncProfile profile, SyncState state, DateTimeOffset now)
        {
            _p = profile;
            _old = state;
            _state = state.Clone();
            _now = now.ToUniversalTime();
        }

        /// <summary>Runs the sync; the inputs are not changed.</summary>
        public static SyncResult Run(IEnumerable<CrmRecord> localSnapshot, IEnumerable<CrmRecord> salesforceSnapshot, SyncProfile profile, SyncState state, DateTimeOffset now) =>
            Run(localSnapshot, salesforceSnapshot, profile, state, now, new SyncRunOptions());

        /// <summary>
        /// Runs the sync with insert results to link first and, optionally, stale links pruned; the inputs are not changed.
        /// Leads and contacts are held whole only when a step needs them (modified since the last sync, or the other side's
        /// record is), so the local snapshot may be enumerated a second time to fetch the unchanged records that modified
        /// Salesforce records link to: pass a list, or a source that reads its file again.
        /// </summary>
        public static SyncResult Run(IEnumerable<CrmRecord> localSnapshot, IEnumerable<CrmRecord> salesforceSnapshot, SyncProfile profile, SyncState state, DateTimeOffset now, SyncRunOptions options)
        {
            // Seed 003: "you can only connect one instance of Salesforce to one instance of Lead Gen & CRM".
            foreach (var (name, stored, given) in new[] { ("Salesforce org", state.SalesforceOrg, options.SalesforceOrg), ("local instance", state.LocalInstance, options.LocalInstance) })
            {
                if (stored != null && given != null && !string.Equals(stored.Trim(), given.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    throw new SyncStateMismatchException($"This sync state belongs to {name} '{stored}', not '{given}': one Salesforce instance syncs with one local instance. Use the state folder of that pair, or a new one.");
                }
            }
            if (options.InsertResults.Count > 0)
            {
                // Ids.0 the results of the last run's pushed inserts link each local record to its new Salesforce record.
                state = state.Clone();
                foreach (var link in options.InsertResults) state.Link(link.ObjectType, link.LocalId, link.SalesforceId);
            }
            // A snapshot may be read twice: collections and snapshot files can be; anything else is buffered first.
            localSnapshot = Rereadable(localSnapshot);
            salesforceSnapshot = Rereadable(salesforceSnapshot);
            var e = new SyncEngine(profile, state, now);
            e.Index(localSnapshot, salesforceSnapshot);
            e._localIncomplete = options.LocalSnapshotIncomplete || (localSnapshot is SyncSnapshot ls && ls.Incomplete);
            e._sfIncomplete = options.SalesforceSnapshotIncomplete || (salesforceSnapshot is SyncSnapshot ss && ss.Incomplete);
            var marks = e.NewWatermarks(options, CeilingOf(localSnapshot, now), CeilingOf(salesforceSnapshot, now));
            // Pending records are taken again this run (whatever their time) and held again if still unresolved; a
            // partial run keeps them all (a pending record may be on an unread line).
            if (!e._localIncomplete && !e._sfIncomplete) e._state.PendingRecords.Clear();
            e._eventsLimit = marks.Local.TryGetValue("Events", out var eventsMark) ? eventsMark : (DateTimeOffset?)null;
            e.Accounts();
            e.Campaigns();
            e.Opportunities();
            e.Conversions();
            var pulledLeads = e.People("Leads", "Lead");
            var pulledContacts = e.People("Contacts", "Contact");
            e.OpportunityNamesOnContacts();
            e.LeadScore(pulledLeads, pulledContacts);
            e.Events();
            // Pruned first, so that no id of a record gone from Salesforce is written back.
            var pruned = options.PruneLinks ? e.PruneLinks(options.InsertResults) : new List<SyncLink>();
            e.WriteBackIds();
            foreach (var name in SyncProfile.ObjectNames) e._state.SetLastRun(name, e._now);
            e._state.SalesforceOrg ??= options.SalesforceOrg?.Trim();
            e._state.LocalInstance ??= options.LocalInstance?.Trim();
            foreach (var m in marks.Local) e._state.SetWatermark(SyncSide.Local, m.Key, m.Value);
            foreach (var m in marks.Salesforce) e._state.SetWatermark(SyncSide.Salesforce, m.Key, m.Value);
            return new SyncResult(e._changes, e._skipped, e._state, pruned) { LocalSnapshotIncomplete = e._localIncomplete, SalesforceSnapshotIncomplete = e._sfIncomplete };
        }

        // No record of a snapshot file can have been modified after the file was written; records given as objects: the run's clock.
        private static DateTimeOffset CeilingOf(IEnumerable<CrmRecord> snapshot, DateTimeOffset now) =>
            (snapshot is SyncSnapshot s ? s.FileTime : null) ?? now.ToUniversalTime();

        /// <summary>
        /// The watermarks after this run, per side and object key: the explicit snapshot time when given, else the newest
        /// modification time seen in that side's snapshot for that object, never later than the snapshot's ceiling (its
        /// file's write time; the run's clock for records), never earlier than the old watermark; unchanged when nothing
        /// with a time was seen. A record edited after the export is newer than every time in it, so the next run takes
        /// it. A partial run (a snapshot read with errors) moves none, except the local events' when the local snapshot
        /// was complete, so the next complete run considers everything again.
        /// </summary>
        private (Dictionary<string, DateTimeOffset> Local, Dictionary<string, DateTimeOffset> Salesforce) NewWatermarks(SyncRunOptions options, DateTimeOffset localCeiling, DateTimeOffset sfCeiling)
        {
            var local = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
            var sf = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
            foreach (var key in WatermarkKeys)
            {
                foreach (var (side, newest, ceiling, into) in new[] { (SyncSide.Local, _localNewest, localCeiling, local), (SyncSide.Salesforce, _sfNewest, sfCeiling, sf) })
                {
                    var advance = key == "Events" ? side == SyncSide.Local && !_localIncomplete : !_localIncomplete && !_sfIncomplete;
                    var old = _old.Watermark(side, key);
                    DateTimeOffset? candidate = null;
                    if (advance)
                    {
                        if (options.SnapshotTime != null) candidate = options.SnapshotTime.Value.ToUniversalTime();
                        else if (newest.TryGetValue(key, out var seen)) candidate = seen > ceiling ? ceiling : seen;
                    }
                    if (candidate != null && (old == null || candidate > old)) into[key] = candidate.Value;
                    else if (old != null) into[key] = old.Value;
                }
            }
            return (local, sf);
        }

        private static string? ObjectKeyOf(string type) => type.ToLowerInvariant() switch
        {
            "account" => "Accounts",
            "campaign" => "Campaigns",
            "opportunity" => "Opportunities",
            "lead" => "Leads",
            "contact" => "Contacts",
            "event" => "Events",
            _ => null,
        };

        private static void Newest(Dictionary<string, DateTimeOffset> newest, string key, DateTimeOffset? time)
        {
            if (time != null && (!newest.TryGetValue(key, out var t) || time > t)) newest[key] = time.Value;
        }

        private static IEnumerable<CrmRecord> Rereadable(IEnumerable<CrmRecord> records) =>
            records is ICollection<CrmRecord> || records is IReadOnlyCollection<CrmRecord> || records is SyncSnapshot ? records : records.ToList();

        private static bool IsPerson(string type) => string.Equals(type, "Lead", StringComparison.OrdinalIgnoreCase) || string.Equals(type, "Contact", StringComparison.OrdinalIgnoreCase);

        private static string ObjectNameOf(string type) => string.Equals(type, "Lead", StringComparison.OrdinalIgnoreCase) ? "Leads" : "Contacts";

        private readonly Dictionary<string, string> _emailFields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        private string EmailField(string type)
        {
            if (!_emailFields.TryGetValue(type, out var name)) _emailFields[type] = name = _p.Object(ObjectNameOf(type)).LocalName("Email");
            return name;
        }

        private void Index(IEnumerable<CrmRecord> local, IEnumerable<CrmRecord> sf)
        {
            // Pass 1, both snapshots at once (one thread each; they fill separate tables). Local: an entry for every
            // record; whole records for every type but leads and contacts, and for the leads and contacts modified since
            // the last sync, whose Salesforce records are then needed whole. Salesforce: every id; whole records for every
            // type but leads and contacts, and for the leads and contacts modified since the last sync.
            var neededSf = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
            var lastLocal = new Dictionary<string, DateTimeOffset?>(StringComparer.OrdinalIgnoreCase) { ["Lead"] = _old.Watermark(SyncSide.Local, "Leads"), ["Contact"] = _old.Watermark(SyncSide.Local, "Contacts") };
            var lastSf = new Dictionary<string, DateTimeOffset?>(StringComparer.OrdinalIgnoreCase) { ["Lead"] = _old.Watermark(SyncSide.Salesforce, "Leads"), ["Contact"] = _old.Watermark(SyncSide.Salesforce, "Contacts") };
            var localDuplicates = new List<SyncChange>();
            var sfDuplicates = new List<SyncChange>();
            Both(() =>
            {
                var keys = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var r in local)
                {
                    var type = r.ObjectType ?? "";
                    _localTypes.Add(type);
                    var person = IsPerson(type);
                    if (r.Id != null)
                    {
                        var all = Dict(_localAll, type);
                        if (all.ContainsKey(r.Id))
                        {
                            // As Import-CrmRecord's DuplicateId: the first record with an id is the one used.
                            localDuplicates.Add(Skipped(SyncSide.Local, type, r.Id, "Snapshot.1 one record per id", $"A second local {type} with id {r.Id}: ignored, the first one is used."));
                            continue;
                        }
                        all[r.Id] = new LocalEntry(r[_p.CrmIdField], person ? r.GetString(EmailField(type))?.Trim() : null);
                    }
                    if (!keys.TryGetValue(type, out var key)) keys[type] = key = ObjectKeyOf(type);
                    DateTimeOffset? modified = null;
                    if (key != null)
                    {
                        modified = key == "Events" ? Time(r, "EventDate") ?? Time(r, _p.LocalModifiedField) : Time(r, _p.LocalModifiedField);
                        Newest(_localNewest, key, modified);
                    }
                    if (person && (r.Id == null || (!Since(modified, lastLocal[type]) && !IsPending(SyncSide.Local, type, r.Id)))) continue;
                    Keep(r, type);
                    if (!person) continue;
                    var crm = r.GetString(_p.CrmIdField);
                    var need = Set(neededSf, type);
                    if (!string.IsNullOrWhiteSpace(crm)) need.Add(crm!);
                    var linked = _old.SalesforceIdOf(type, r.Id!);
                    if (linked != null) need.Add(linked);
                }
            }, () =>
            {
                var keys = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var r in sf)
                {
                    var type = r.ObjectType ?? "";
                    if (r.Id != null && !Set(_sfAll, type).Add(r.Id))
                    {
                        sfDuplicates.Add(Skipped(SyncSide.Salesforce, type, r.Id, "Snapshot.1 one record per id", $"A second Salesforce {type} with id {r.Id}: ignored, the first one is used."));
                        continue;
                    }
                    if (!keys.TryGetValue(type, out var key)) keys[type] = key = ObjectKeyOf(type);
                    DateTimeOffset? modified = null;
                    if (key != null)
                    {
                        modified = Time(r, _p.SalesforceModifiedField);
                        Newest(_sfNewest, key, modified);
                    }
                    if (r.Id != null && key == "Leads" && IsTrue(r, "IsConverted"))
                    {
                        var into = r.GetString("ConvertedContactId")?.Trim();
                        if (!string.IsNullOrEmpty(into))
                        {
                            _convertedLeads[r.Id] = into!;
                            _convertedKeys[r.Id] = (r.GetString(_p.ExternalIdField)?.Trim(), r.GetString("Email")?.Trim());
                            if (!_convertedInto.TryGetValue(into!, out var leads)) _convertedInto[into!] = leads = new List<string>(1);
                            leads.Add(r.Id);
                        }
                    }
                    if (IsPerson(type) && (r.Id == null || (!Since(modified, lastSf[type]) && !IsPending(SyncSide.Salesforce, type, r.Id)))) continue;
                    KeepSalesforce(r, type);
                }
            });
            _skipped.AddRange(localDuplicates);
            _skipped.AddRange(sfDuplicates);
            // Links: the state's, then the CRM ids the local records carry (the greatest local id wins a shared CRM id).
            foreach (var type in _localTypes.Contains("Lead") && !_localTypes.Contains("Contact") ? _localTypes.Concat(new[] { "Contact" }).ToList() : _localTypes.ToList())
            {
                foreach (var link in _old.Links(type)) LinkRun(type, link.Value, link.Key);
                if (!_localAll.TryGetValue(type, out var entries)) continue;
                var owner = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var e in entries)
                {
                    var crm = CrmText(e.Value);
                    if (crm == null) continue;
                    Dict(_sfIdOfLocal, type)[e.Key] = crm;
                    if (!owner.TryGetValue(crm, out var current) || string.CompareOrdinal(e.Key, current) > 0) owner[crm] = e.Key;
                }
                var map = Dict(_localIdOfSf, type);
                foreach (var o in owner) map[o.Key] = o.Value;
            }
            FindContactLeads();
            // Pass 2, only for what is missing, both snapshots again at once: the unchanged leads and contacts that modified
            // Salesforce records find (by link, external id or email), and the unchanged Salesforce records of modified
            // local ones.
            var neededLocal = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
            foreach (var type in new[] { "Lead", "Contact" })
            {
                var have = Dict(_localById, type);
                var all = Dict(_localAll, type);
                foreach (var s in List(_sf, type))
                {
                    void Need(string? id)
                    {
                        if (id != null && !have.ContainsKey(id) && all.ContainsKey(id)) Set(neededLocal, type).Add(id);
                    }
                    Need(LocalIdOf(type, s.Id));
                    Need(s.GetString(_p.ExternalIdField));
                    var email = s.GetString("Email")?.Trim();
                    if (!string.IsNullOrEmpty(email) && LocalIdsByEmail(type).TryGetValue(email!, out var ids)) foreach (var id in ids) Need(id);
                    if (type == "Contact")
                    {
                        // A contact a local lead stands for (converted in Salesforce), or one whose external id names a
                        // local lead: that lead, and the Salesforce leads converted into the contact, are needed whole.
                        NeedLocal(neededLocal, "Lead", LocalIdOf("Contact", s.Id));
                        NeedLocal(neededLocal, "Lead", s.GetString(_p.ExternalIdField));
                        if (s.Id != null && _convertedInto.TryGetValue(s.Id, out var leads)) foreach (var lead in leads) Set(neededSf, "Lead").Add(lead);
                    }
                }
            }
            // Every lead converted in Salesforce (modified or not): its local lead, the lead and its contact, whole.
            foreach (var conversion in _convertedLeads)
            {
                var localLead = LocalIdOf("Lead", conversion.Key);
                if (localLead == null && _convertedKeys.TryGetValue(conversion.Key, out var keys))
                {
                    // As FindLocal: the external id, then the email, of a local lead without a Salesforce id.
                    var leadEntries = Dict(_localAll, "Lead");
                    if (!string.IsNullOrEmpty(keys.Ext) && leadEntries.ContainsKey(keys.Ext!) && SalesforceIdOf("Lead", keys.Ext!) == null) localLead = keys.Ext;
                    else if (!string.IsNullOrEmpty(keys.Email) && LocalIdsByEmail("Lead").TryGetValue(keys.Email!, out var sameEmail))
                    {
                        localLead = sameEmail.FirstOrDefault(id => SalesforceIdOf("Lead", id) == null);
                    }
                }
                if (localLead == null) continue;
                NeedLocal(neededLocal, "Lead", localLead);
                Set(neededSf, "Lead").Add(conversion.Key);
                Set(neededSf, "Contact").Add(conversion.Value);
            }
            foreach (var need in neededSf)
            {
                var have = Dict(_sfById, need.Key);
                var all = Set(_sfAll, need.Key);
                need.Value.RemoveWhere(id => have.ContainsKey(id) || !all.Contains(id));
            }
            var fetchLocal = neededLocal.Any(n => n.Value.Count > 0);
            var fetchSf = neededSf.Any(n => n.Value.Count > 0);
            Both(!fetchLocal ? (Action?)null : () =>
            {
                foreach (var r in local)
                {
                    var type = r.ObjectType ?? "";
                    if (r.Id != null && neededLocal.TryGetValue(type, out var need) && need.Remove(r.Id)) Keep(r, type);
                }
            }, !fetchSf ? (Action?)null : () =>
            {
                foreach (var r in sf)
                {
                    var type = r.ObjectType ?? "";
                    if (r.Id != null && neededSf.TryGetValue(type, out var need) && need.Remove(r.Id)) KeepSalesforce(r, type);
                }
            });
            // Every record asked for was seen in the first pass: one missing now means the snapshot changed between the passes.
            var missing = neededLocal.SelectMany(n => n.Value.Select(id => "local " + n.Key + " " + id))
                .Concat(neededSf.SelectMany(n => n.Value.Select(id => "Salesforce " + n.Key + " " + id))).Take(3).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException($"A snapshot changed while it was read (a second reading lacks {string.Join(", ", missing)}): sync again with snapshots that are not being rewritten.");
            }
        }

        /// <summary>Runs two reads at once (the second on the thread pool); either may be null.</summary>
        private static void Both(Action? first, Action? second)
        {
            if (first == null || second == null)
            {
                first?.Invoke();
                second?.Invoke();
                return;
            }
            var other = Task.Run(second);
            try
            {
                first();
            }
            finally
            {
                other.GetAwaiter().GetResult();
            }
        }

        private void NeedLocal(Dictionary<string, HashSet<string>> needed, string type, string? id)
        {
            if (id != null && !Dict(_localById, type).ContainsKey(id) && Dict(_localAll, type).ContainsKey(id)) Set(needed, type).Add(id);
        }

        /// <summary>
        /// The local leads that stand for a Salesforce contact: linked to it in the state (a conversion in Salesforce an
        /// earlier run recorded), or carrying its id as their CRM id, when no local contact holds that id.
        /// </summary>
        private void FindContactLeads()
        {
            if (!_localAll.TryGetValue("Lead", out var leads)) return;
            var contacts = Dict(_localAll, "Contact");
            foreach (var link in _old.Links("Contact"))
            {
                if (leads.ContainsKey(link.Key) && !contacts.ContainsKey(link.Key)) _contactLeads.Add(link.Key);
            }
            if (!_sfAll.TryGetValue("Contact", out var sfContacts)) return;
            var byContact = Dict(_localIdOfSf, "Contact");
            foreach (var e in leads)
            {
                var crm = CrmText(e.Value);
                if (crm == null || !sfContacts.Contains(crm) || contacts.ContainsKey(e.Key)) continue;
                if (byContact.TryGetValue(crm, out var holder) && holder != e.Key) continue;
                _contactLeads.Add(e.Key);
                LinkRun("Contact", crm, e.Key);
            }
        }

        private void KeepSalesforce(CrmRecord r, string type)
        {
            List(_sf, type).Add(r);
            if (r.Id != null) Dict(_sfById, type)[r.Id] = r;
        }

        private void Keep(CrmRecord r, string type)
        {
            List(_local, type).Add(r);
            if (r.Id != null) Dict(_localById, type)[r.Id] = r;
        }

        private static string? CrmText(LocalEntry e)
        {
            var crm = RecordValue.IsBlank(e.Crm) ? null : RecordValue.ToText(e.Crm);
            return string.IsNullOrWhiteSpace(crm) ? null : crm;
        }

        /// <summary>Local ids by trimmed email (case-insensitive), in id order.</summary>
        private Dictionary<string, List<string>> LocalIdsByEmail(string type)
        {
            if (_localIdsByEmail.TryGetValue(type, out var byEmail)) return byEmail;
            _localIdsByEmail[type] = byEmail = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
            if (!_localAll.TryGetValue(type, out var entries)) return byEmail;
            foreach (var e in entries)
            {
                if (string.IsNullOrEmpty(e.Value.Email)) continue;
                if (!byEmail.TryGetValue(e.Value.Email!, out var same)) byEmail[e.Value.Email!] = same = new List<string>(1);
                same.Add(e.Key);
            }
            foreach (var same in byEmail.Values)
            {
                if (same.Count > 1) same.Sort(StringComparer.Ordinal);
            }
            return byEmail;
        }

        // ---- Accounts (pull) and person accounts -------------------------------------------------------------

        private void Accounts()
        {
            // Seed 003: account data is pulled "only to be associated with a linked contact or lead": a Salesforce account
            // is created locally when a Salesforce contact this run syncs sits on it (or with pullAll in the profile);
            // a linked account is updated when it changes.
            var o = _p.Object("Accounts");
            var sitOn = new HashSet<string>(StringComparer.Ordinal);
            foreach (var c in ModifiedSalesforce("Contact", "Contacts"))
            {
                var account = c.GetString("AccountId");
                if (!string.IsNullOrWhiteSpace(account) && !IsTrue(c, "IsPersonAccount")) sitOn.Add(account!);
            }
            var modified = ModifiedSalesforce("Account", "Accounts").ToList();
            var seen = new HashSet<string>(modified.Select(a => a.Id!), StringComparer.Ordinal);
            var byId = Dict(_sfById, "Account");
            var candidates = modified.Concat(sitOn.Where(id => !seen.Contains(id) && LocalIdOf("Account", id) == null && byId.ContainsKey(id)).OrderBy(id => id, StringComparer.Ordinal).Select(id => byId[id])).ToList();
            foreach (var s in candidates)
            {
                if (IsTrue(s, "IsPersonAccount"))
                {
                    Skip(SyncSide.Local, "Account", s.Id, "PersonAccounts.1 person accounts are not supported", "Salesforce person account: skipped, never merged into a contact or lead.");
                    continue;
                }
                var local = FindLocal("Account", s, null);
                if (local != null)
                {
                    Resolve("Accounts", "Account", local, s, "Accounts.1 pull modified Salesforce account: update local", "Accounts.1 pull modified Salesforce account");
                    continue;
                }
                if (!o.PullAll && !sitOn.Contains(s.Id!))
                {
                    Skip(SyncSide.Local, "Account", s.Id, "Accounts.1 pull account data for linked contacts and leads", "No contact synced in this run sits on this account, and seed 003 pulls account data \"only to be associated with a linked contact or lead\": not created locally (pullAll in the profile creates it).");
                    continue;
                }
                if (HoldInsert(SyncSide.Local, "Account", s.Id, "Accounts.1 pull account data for linked contacts and leads")) continue;
                InsertLocal("Account", "Accounts", s, "Accounts.1 pull account data for linked contacts and leads: insert locally",
                    o.PullAll ? "pullAll in the profile; no local account has this Salesforce id." : "A Salesforce contact synced in this run sits on it; no local account has this Salesforce id.");
            }
        }

        // ---- Campaigns (two-way) -----------------------------------------------------------------------------

        private void Campaigns()
        {
            // Campaigns.1 query Salesforce campaigns modified since last sync; Campaigns.2 index local campaigns by Salesforce id (Index).
            var found = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in ModifiedSalesforce("Campaign", "Campaigns"))
            {
                // Campaigns.3 find each in the local index.
                var local = FindLocal("Campaign", s, null);
                if (local == null && _p.Object("Campaigns").Direction == SyncDirection.Push)
                {
                    Skip(SyncSide.Local, "Campaign", s.Id, "Campaigns.4 insert missing campaign locally", "Campaigns push to Salesforce in this profile: not created locally.");
                    continue;
                }
                if (local == null)
                {
                    if (HoldInsert(SyncSide.Local, "Campaign", s.Id, "Campaigns.4 insert missing campaign locally")) continue;
                    InsertLocal("Campaign", "Campaigns", s, "Campaigns.4 insert missing campaign locally", "Modified in Salesforce since the last sync; no local campaign has its Salesforce id.");
                    continue;
                }
                found.Add(local.Id!);
                Resolve("Campaigns", "Campaign", local, s, "Campaigns.5 more recently modified in Salesforce: update local", "Campaigns.5 more recently modified locally: update Salesforce");
            }
            // Campaigns.6 local campaigns modified since last sync; Campaigns.7 push the active ones without a CRM id.
            foreach (var l in ModifiedLocal("Campaign", "Campaigns"))
            {
                if (l.Id == null || found.Contains(l.Id)) continue;
                var crmId = SalesforceIdOf("Campaign", l);
                if (crmId != null)
                {
                    // A linked campaign edited locally (its Salesforce campaign unchanged): compared field by field, as
                    // leads are, so the edit reaches Salesforce instead of being overwritten by the next Salesforce edit.
                    var owner = LocalIdOf("Campaign", crmId);
                    if ((owner == null || owner == l.Id) && Dict(_sfById, "Campaign").TryGetValue(crmId, out var linked))
                    {
                        Resolve("Campaigns", "Campaign", l, linked, "Campaigns.6 modified locally since the last sync, linked: update local", "Campaigns.6 modified locally since the last sync, linked: compared field by field, update Salesforce");
                    }
                    continue;
                }
                if (_p.Object("Campaigns").Direction == SyncDirection.Pull)
                {
                    Skip(SyncSide.Salesforce, "Campaign", l.Id, "Campaigns.7 push active local campaigns without a CRM id", "Campaigns pull from Salesforce in this profile: not pushed.");
                    continue;
                }
                if (!IsActive(l))
                {
                    Skip(SyncSide.Salesforce, "Campaign", l.Id, "Campaigns.7 push active local campaigns without a CRM id", "Inactive campaign: not pushed.");
                    continue;
                }
                if (HoldInsert(SyncSide.Salesforce, "Campaign", l.Id, "Campaigns.7 push active local campaigns without a CRM id")) continue;
                InsertSalesforce("Campaign", "Campaigns", l, "Campaigns.7 push active local campaigns without a CRM id", "Active, modified since the last sync, no CRM campaign id.");
            }
        }

        // ---- Opportunities (pull) ----------------------------------------------------------------------------

        private void Opportunities()
        {
            // Opportunities.1 every Salesforce opportunity modified since last sync.
            foreach (var s in ModifiedSalesforce("Opportunity", "Opportunities"))
            {
                var local = FindLocal("Opportunity", s, null);
                if (local == null && HoldInsert(SyncSide.Local, "Opportunity", s.Id, "Opportunities.4 create opportunity locally")) continue;
                // Opportunities.2 resolve its campaign, account and deal stage locally (create the stage if missing).
                var stageName = s.GetString("StageName");
                if (!string.IsNullOrWhiteSpace(stageName) && _localIncomplete && FindDealStage(stageName!) == null)
                {
                    Skip(SyncSide.Local, "Opportunity", local?.Id ?? s.Id, "Opportunities.2 create missing deal stage", $"No local deal stage is named '{stageName}', and the local snapshot was not read completely (it may be on an unread line): not created; the next complete run takes this opportunity.");
                    continue;
                }
                // Only fields the Salesforce record carries are taken: a field missing from the export changes nothing.
                var wanted = new List<KeyValuePair<string, object?>>();
                if (s.Has("Name")) wanted.Add(new KeyValuePair<string, object?>("Name", s["Name"]));
                var unresolved = new List<string>();
                foreach (var (field, type) in new[] { ("AccountId", "Account"), ("CampaignId", "Campaign") })
                {
                    if (!s.Has(field)) continue;
                    var sfRef = s.GetString(field);
                    if (string.IsNullOrWhiteSpace(sfRef))
                    {
                        wanted.Add(new KeyValuePair<string, object?>(field, null));
                        continue;
                    }
                    var localRef = LocalIdOf(type, sfRef);
                    // Not found locally: the local association stays as it is (never blanked), and it is reported.
                    if (localRef == null) unresolved.Add($"{type.ToLowerInvariant()} {sfRef}");
                    else wanted.Add(new KeyValuePair<string, object?>(field, localRef));
                }
                if (s.Has("StageName")) wanted.Add(new KeyValuePair<string, object?>("DealStageId", DealStage(stageName)));
                if (unresolved.Count > 0)
                {
                    Skip(SyncSide.Local, "Opportunity", local?.Id ?? ProvisionalId(s.Id!), "Opportunities.2 resolve campaign and account locally",
                        $"Salesforce opportunity {s.Id}: {string.Join(" and ", unresolved)} not found locally (no local record linked to it): {(local == null ? "created without that association" : "the local association is kept, not blanked")}; it is set by the first run that finds it after the record is linked.");
                }
                if (local != null)
                {
                    // Opportunities.3 update account, campaign and deal stage association, and the name.
                    var before = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                    var after = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                    foreach (var w in wanted)
                    {
                        if (Same(local[w.Key], w.Value)) continue;
                        before[w.Key] = local[w.Key];
                        after[w.Key] = w.Value;
                    }
                    LinkCrmId("Opportunity", local, s, before, after);
                    if (after.Count > 0) Add(SyncSide.Local, "Opportunity", SyncOperation.Update, local.Id, before, after, "Opportunities.3 update account, campaign, stage and name", "Opportunities pull from Salesforce.");
                }
                else
                {
                    // Opportunities.4 create it locally.
                    var id = ProvisionalId(s.Id!);
                    var after = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
                    foreach (var w in wanted) after[w.Key] = w.Value;
                    after[_p.CrmIdField] = s.Id;
                    LinkRun("Opportunity", s.Id!, id);
                    Add(SyncSide.Local, "Opportunity", SyncOperation.Insert, id, Empty, after, "Opportunities.4 create opportunity locally", "No local opportunity has this Salesforce id.");
                }
            }
        }

        /// <summary>
        /// Seed 003: "the Salesforce opportunity name will be displayed in the Memberships tab of the associated Lead Gen
        /// &amp; CRM contact's record". A contact is associated through its opportunity contact roles
        /// (OpportunityContactRole: OpportunityId, ContactId). For every linked local contact on a role of an opportunity
        /// or role modified since the last sync, the local field OpportunityNames gets the names of all its
        /// opportunities ("; " between them, sorted), when they differ.
        /// </summary>
        private void OpportunityNamesOnContacts()
        {
            var roles = List(_sf, "OpportunityContactRole");
            if (roles.Count == 0) return;
            var last = _old.Watermark(SyncSide.Salesforce, "Opportunities");
            var opps = Dict(_sfById, "Opportunity");
            var touched = new HashSet<string>(StringComparer.Ordinal);
            var byContact = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            foreach (var role in roles)
            {
                var contact = role.GetString("ContactId");
                var opp = role.GetString("OpportunityId");
                if (string.IsNullOrWhiteSpace(contact) || string.IsNullOrWhiteSpace(opp)) continue;
                if (!byContact.TryGetValue(contact!, out var names)) byContact[contact!] = names = new SortedSet<string>(StringComparer.Ordinal);
                opps.TryGetValue(opp!, out var o);
                var name = o?.GetString("Name");
                if (!string.IsNullOrWhiteSpace(name)) names.Add(name!);
                if (Since(Time(role, _p.SalesforceModifiedField), last) || (o != null && Since(Time(o, _p.SalesforceModifiedField), last))) touched.Add(contact!);
            }
            foreach (var contact in touched.OrderBy(c => c, StringComparer.Ordinal))
            {
                var local = LocalIdOf("Contact", contact);
                if (local == null) continue;
                var value = string.Join("; ", byContact[contact]);
                var localType = !Dict(_localAll, "Contact").ContainsKey(local) && _contactLeads.Contains(local) ? "Lead" : "Contact";
                object? before = Dict(_localById, localType).TryGetValue(local, out var r) ? r["OpportunityNames"] : null;
                if (r != null && Same(before, value)) continue;
                Add(SyncSide.Local, localType, SyncOperation.Update, local, new Dictionary<string, object?> { ["OpportunityNames"] = before }, new Dictionary<string, object?> { ["OpportunityNames"] = value },
                    "Opportunities.5 opportunity names on the associated contact", "The contact has a role on these Salesforce opportunities (seed 003: the opportunity name is displayed on the associated contact's record).");
            }
        }

        private CrmRecord? FindDealStage(string name) =>
            List(_local, "DealStage").FirstOrDefault(r => string.Equals(r.GetString("Name"), name, StringComparison.OrdinalIgnoreCase));

        private string? DealStage(string? name)
        {
            if (string.IsNullOrWhiteSpace(name)) return null;
            var stages = List(_local, "DealStage");
            var existing = FindDealStage(name!);
            if (existing != null) return existing.Id;
            var id = "stage:" + name;
            var record = new CrmRecord("DealStage");
            record.Add("Id", id);
            record.Add("Name", name);
            stages.Add(record);
            Add(SyncSide.Local, "DealStage", SyncOperation.Insert, id, Empty, new Dictionary<string, object?> { ["Name"] = name },
                "Opportunities.2 create missing deal stage", $"No local deal stage is named '{name}'.");
            return id;
        }

        // ---- Leads and contacts (two-way) -------------------------------------------------------------------

        private HashSet<string> People(string objectName, string type)
        {
            var pulled = new HashSet<string>(StringComparer.Ordinal);
            var o = _p.Object(objectName);
            var n = objectName; // step prefix
            if (type == "Lead") pulled.UnionWith(_convertedLocalLeads);
            foreach (var s in ModifiedSalesforce(type, objectName))
            {
                if (type == "Lead" && _convertedLeads.TryGetValue(s.Id!, out var into))
                {
                    // Converted in Salesforce: the Conversions step took it, or no local lead is that person. Either way it
                    // is not created (nor updated) as a local lead: it is a contact now, pulled as one.
                    if (!_conversionSeen.Contains(s.Id!) && LocalIdOf("Contact", into) == null)
                    {
                        Skip(SyncSide.Local, type, s.Id, "Leads.4 lead converted in Salesforce: not created locally", $"Converted into contact {into} in Salesforce, and no local lead is linked to it or has its email: not created as a local lead (it is a contact now); the contact is pulled as a new local contact.");
                    }
                    continue;
                }
                if (type == "Contact" && _convertedContactsDone.Contains(s.Id!)) continue;
                if (type == "Contact" && IsTrue(s, "IsPersonAccount"))
                {
                    Skip(SyncSide.Local, type, s.Id, "PersonAccounts.1 person accounts are not supported", "Salesforce person account (contact side): skipped, never merged into a local contact.");
                    continue;
                }
                // .2 find the local record by CRM id or email.
                var local = FindLocal(type, s, s.GetString("Email"));
                if (local != null)
                {
                    pulled.Add(local.Id!);
                    // .3 resolve field conflicts per field direction.
                    if (type == "Contact" && local.ObjectType == "Lead")
                    {
                        // A local lead marked as this contact when its lead was converted in Salesforce.
                        // The first run that has the contact after the conversion was recorded without it: the lead's time
                        // is the time the marking was applied, not an edit; only its edits of carried values win.
                        var first = IsPending(SyncSide.Salesforce, "Contact", s.Id);
                        Resolve(objectName, type, local, s, $"Contacts.3 resolve field conflicts (a lead converted in Salesforce, marked as this contact{(first ? ": its contact's values, first seen now" : "")}): update local lead", $"{n}.3 resolve field conflicts: update Salesforce", CarriedByConversion(local, s), first);
                    }
                    else
                    {
                        Resolve(objectName, type, local, s, $"{n}.3 resolve field conflicts: update local", $"{n}.3 resolve field conflicts: update Salesforce");
                    }
                }
                else if (o.Direction == SyncDirection.Push)
                {
                    Skip(SyncSide.Local, type, s.Id, $"{n}.4 create {type.ToLowerInvariant()} locally", $"{objectName} push to Salesforce in this profile: not created locally.");
                    continue;
                }
                else
                {
                    // .4 create it locally.
                    if (HoldInsert(SyncSide.Local, type, s.Id, $"{n}.4 create {type.ToLowerInvariant()} locally")) continue;
                    local = InsertLocal(type, objectName, s, $"{n}.4 create {type.ToLowerInvariant()} locally", $"Modified in Salesforce since the last sync; no local {type.ToLowerInvariant()} has its CRM id or email.");
                    if (local == null) continue;
                    pulled.Add(local.Id!);
                }
                // .5 associate the lead with its opportunity.
                Associate(type, local, s);
            }
            // .6 local records modified since last sync; .7 not just pulled; .8 the push rules, in the seed's order.
            var lastName = o.LocalName("LastName");
            var company = o.LocalName("Company");
            var email = o.LocalName("Email");
            var withoutCompany = type == "Lead" && o.PushWithoutCompany;
            var required = type == "Lead" && !withoutCompany ? "Last Name, Company and Email" : "Last Name and Email";
            foreach (var l in ModifiedLocal(type, objectName))
            {
                if (l.Id == null || pulled.Contains(l.Id)) continue;
                // Seed 003: "If the lead is a contact, do not push it." Checked first: no insert, no update, whatever the profile.
                if (type == "Lead" && IsContactLead(l))
                {
                    Skip(SyncSide.Salesforce, type, l.Id, "Leads.8a the lead is a contact: not pushed", "The lead is a contact (seed 003: \"If the lead is a contact, do not push it\"): no insert and no update in Salesforce.");
                    pulled.Add(l.Id);
                    continue;
                }
                var crmId = SalesforceIdOf(type, l);
                if (crmId != null)
                {
                    var owner = LocalIdOf(type, crmId);
                    if (owner != null && owner != l.Id)
                    {
                        Skip(SyncSide.Salesforce, type, l.Id, $"{n}.8b has a CRM id: not pushed", $"Has CRM id {crmId}, which local {type.ToLowerInvariant()} {owner} also holds: not pushed, not resolved (fix the duplicate).");
                        continue;
                    }
                    Dict(_sfById, type).TryGetValue(crmId, out var linked);
                    if (linked != null && type == "Contact" && IsTrue(linked, "IsPersonAccount")) linked = null;
                    if (o.PushLinkedEdits && linked != null)
                    {
                        // The profile's extension: local edits of a linked record are resolved against Salesforce per direction.
                        Resolve(objectName, type, l, linked, $"{n}.8b+ pushLinkedEdits (profile): linked record, fields resolved: update local", $"{n}.8b+ pushLinkedEdits (profile): linked record, fields resolved: update Salesforce");
                        Associate(type, l, linked);
                        pulled.Add(l.Id);
                        continue;
                    }
                    // Seed 003: "If the lead already has a CRM ID, do not push it." Said only when it holds back an edit.
                    var held = linked == null ? null : HeldBackEdits(objectName, l, linked);
                    if (linked == null || held!.Count > 0)
                    {
                        Skip(SyncSide.Salesforce, type, l.Id, $"{n}.8b has a CRM id: not pushed",
                            $"Has CRM id {crmId} (seed 003: \"If the lead already has a CRM ID, do not push it\"): not pushed{(held == null || held.Count == 0 ? "" : "; local edits not sent to Salesforce: " + string.Join(", ", held))}. They reach Salesforce when the Salesforce record is next modified and the local side is newer, or with pushLinkedEdits in the profile.");
                    }
                    continue;
                }
                if (!o.PushNew)
                {
                    Skip(SyncSide.Salesforce, type, l.Id, $"{n}.8 new local {type.ToLowerInvariant()}: not pushed",
                        type == "Contact" ? "A local contact without a CRM id is not pushed (seed 003: \"If the lead is a contact, do not push it\"); pushNew in the profile pushes it." : $"pushNew is false for {objectName} in the profile: not pushed.");
                    continue;
                }
                if (o.Direction == SyncDirection.Pull)
                {
                    Skip(SyncSide.Salesforce, type, l.Id, $"{n}.8 new local {type.ToLowerInvariant()}: not pushed", $"{objectName} pull from Salesforce in this profile: not pushed.");
                    continue;
                }
                var missing = new[] { lastName, type == "Lead" && !withoutCompany ? company : null, email }.Where(f => f != null && RecordValue.IsBlank(l[f])).ToList();
                if (missing.Count > 0)
                {
                    Skip(SyncSide.Salesforce, type, l.Id, $"{n}.8c {required} not all set: not pushed", $"Missing {string.Join(", ", missing)} (seed 003: \"If Last Name, Company, and Email are set, push it\"{(withoutCompany ? "; pushWithoutCompany in the profile waives Company only" : "")}): not pushed.");
                    continue;
                }
                var noCompany = withoutCompany && RecordValue.IsBlank(l[company]);
                var step = noCompany ? $"{n}.8c Last Name and Email set, no Company (pushWithoutCompany: person-account conversion): pushed" : $"{n}.8c {required} set: pushed";
                if (HoldInsert(SyncSide.Salesforce, type, l.Id, step)) continue;
                InsertSalesforce(type, objectName, l, step, noCompany
                    ? "Modified since the last sync, not just pulled, not a contact, no CRM id, Last Name and Email set; no Company: pushWithoutCompany in the profile (seed 002: \"Lead-Synchronisierung ohne Firmenname für Personenkontenkonversion zulassen\"), for conversion into a person account."
                    : $"Modified since the last sync, not just pulled, not a contact, no CRM id, {required} set.");
            }
            return pulled;
        }

        private static bool IsContactLead(CrmRecord l) => IsTrue(l, "IsContact") || string.Equals(l.GetString("Type"), "Contact", StringComparison.OrdinalIgnoreCase);

        /// <summary>The local fields of a linked record that differ from Salesforce and would be pushed if pushing were allowed.</summary>
        private List<string> HeldBackEdits(string objectName, CrmRecord local, CrmRecord s)
        {
            var o = _p.Object(objectName);
            var lt = Time(local, _p.LocalModifiedField);
            var st = Time(s, _p.SalesforceModifiedField);
            var localNewer = lt != null && (st == null || lt > st);
            var fields = new List<string>();
            foreach (var f in local)
            {
                if (IsSystem(f.Key) || string.Equals(f.Key, _p.CrmIdField, StringComparison.OrdinalIgnoreCase) || string.Equals(f.Key, _p.LeadScoreField, StringComparison.OrdinalIgnoreCase)) continue;
                var sn = o.SalesforceName(f.Key);
                if (IsSystem(sn) || !s.TryGet(sn, out var sv) || Same(f.Value, sv)) continue;
                if (Lookups.TryGetValue(f.Key, out var target))
                {
                    var localRef = RecordValue.IsBlank(f.Value) ? null : RecordValue.ToText(f.Value);
                    var sfRef = RecordValue.IsBlank(sv) ? null : RecordValue.ToText(sv);
                    if ((sfRef != null && LocalIdOf(target, sfRef) == localRef) || (localRef != null && SalesforceIdOf(target, localRef) == sfRef)) continue;
                }
                var d = _p.FieldDirection(objectName, f.Key);
                if (d == SyncDirection.Push || (d == SyncDirection.TwoWay && localNewer)) fields.Add(f.Key);
            }
            return fields;
        }

        private void Associate(string type, CrmRecord local, CrmRecord s)
        {
            var opp = LocalIdOf("Opportunity", s.GetString("ConvertedOpportunityId"));
            if (type != "Lead" || opp == null || Same(local["OpportunityId"], opp)) return;
            if (_localInserts.TryGetValue(type + "\n" + local.Id, out var pending)) pending["OpportunityId"] = opp;
            else Add(SyncSide.Local, type, SyncOperation.Update, local.Id, new Dictionary<string, object?> { ["OpportunityId"] = local["OpportunityId"] }, new Dictionary<string, object?> { ["OpportunityId"] = opp },
                "Leads.5 associate lead with opportunity", "The Salesforce lead is associated with this opportunity.");
        }

        // ---- Leads converted in Salesforce ------------------------------------------------------------------

        private const string ConversionStep = "Leads.2a lead converted in Salesforce";

        /// <summary>
        /// A lead converted in Salesforce (IsConverted with a ConvertedContactId) is a contact there now. Its local lead
        /// (found as Leads.2 finds leads: link, CRM id, external id or email; or named by the new contact's external id
        /// when the lead is no longer exported) is that person: it is marked as a contact (IsContact) and linked to the
        /// Salesforce contact instead of the lead, with the contact's values applied per the field rules, and no local
        /// contact is created. Every converted lead in the snapshot is considered, modified or not, so a conversion an
        /// earlier snapshot showed is still taken up. A contact that already has a local record (a contact, or a lead
        /// marked as it) takes no second one: the other lead is held back (pending, reported) to be merged locally; so
        /// is the second of two linked leads converted into one contact (a merge during the conversion).
        /// </summary>
        private void Conversions()
        {
            var leads = Dict(_localById, "Lead");
            var localContacts = Dict(_localAll, "Contact");
            var sfLeads = Dict(_sfById, "Lead");
            var sfContacts = Dict(_sfById, "Contact");
            // A conversion recorded by an earlier run whose contact was not in that snapshot: taken again until it is.
            foreach (var key in _old.PendingRecords.Where(k => k.StartsWith("Salesforce:Contact:", StringComparison.Ordinal)).ToList())
            {
                var contactId = key.Substring("Salesforce:Contact:".Length);
                var holder = LocalIdOf("Contact", contactId);
                if (holder == null || !_contactLeads.Contains(holder) || sfContacts.ContainsKey(contactId)) continue;
                HoldPending(SyncSide.Salesforce, "Contact", contactId);
                if (IsPending(SyncSide.Local, "Lead", holder)) HoldPending(SyncSide.Local, "Lead", holder);
            }
            var byContact = new Dictionary<string, List<(string? SfLead, CrmRecord Local, bool Linked)>>(StringComparer.Ordinal);
            foreach (var conversion in _convertedLeads.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                var (sfLeadId, contactId) = (conversion.Key, conversion.Value);
                CrmRecord? local;
                if (sfLeads.TryGetValue(sfLeadId, out var sl)) local = FindLocal("Lead", sl, sl.GetString("Email"));
                else local = LocalIdOf("Lead", sfLeadId) is string id && leads.TryGetValue(id, out var byLink) ? byLink : null;
                if (local == null) continue;
                _conversionSeen.Add(sfLeadId);
                // Done by an earlier run (the lead stands for the contact already).
                if (_contactLeads.Contains(local.Id!) && LocalIdOf("Contact", contactId) == local.Id) continue;
                if (!byContact.TryGetValue(contactId, out var list)) byContact[contactId] = list = new List<(string?, CrmRecord, bool)>();
                list.Add((sfLeadId, local, LocalIdOf("Lead", sfLeadId) == local.Id));
            }
            // A lead no longer in the export: the new contact's external id names a local lead linked to a Salesforce lead
            // that is not in the snapshot (Salesforce's lead field mapping carried the id over on conversion).
            foreach (var sc in ModifiedSalesforce("Contact", "Contacts"))
            {
                if (byContact.ContainsKey(sc.Id!) || LocalIdOf("Contact", sc.Id) != null || IsTrue(sc, "IsPersonAccount")) continue;
                var ext = sc.GetString(_p.ExternalIdField)?.Trim();
                if (string.IsNullOrEmpty(ext) || localContacts.ContainsKey(ext!) || !leads.TryGetValue(ext!, out var lead) || _contactLeads.Contains(ext!)) continue;
                var sfLead = SalesforceIdOf("Lead", lead);
                if (sfLead == null || Set(_sfAll, "Lead").Contains(sfLead) || FindLocal("Contact", sc, sc.GetString("Email")) != null) continue;
                byContact[sc.Id!] = new List<(string?, CrmRecord, bool)> { (null, lead, true) };
            }
            foreach (var group in byContact.OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var contactId = group.Key;
                sfContacts.TryGetValue(contactId, out var contact);
                // The lead converted first keeps the contact; then by Salesforce lead id, then local id.
                var ordered = group.Value.GroupBy(c => c.Local.Id!, StringComparer.Ordinal).Select(g => g.First())
                    .OrderBy(c => c.SfLead != null && sfLeads.TryGetValue(c.SfLead, out var r) ? Time(r, "ConvertedDate") ?? DateTimeOffset.MaxValue : DateTimeOffset.MaxValue)
                    .ThenBy(c => c.SfLead ?? "", StringComparer.Ordinal).ThenBy(c => c.Local.Id, StringComparer.Ordinal).ToList();
                var holder = LocalIdOf("Contact", contactId);
                // An unlinked local contact that Contacts.2 finds for it (external id or email) is its local record already.
                var matched = holder == null && contact != null && !IsTrue(contact, "IsPersonAccount") ? FindLocal("Contact", contact, contact.GetString("Email")) : null;
                if (matched != null && matched.ObjectType == "Contact") holder = matched.Id;
                string? keeper = null;
                foreach (var c in ordered)
                {
                    var l = c.Local;
                    _convertedLocalLeads.Add(l.Id!);
                    var from = c.SfLead == null ? $"Salesforce contact {contactId} carries local lead {l.Id} in {_p.ExternalIdField} (its lead is no longer in the export)" : $"Salesforce lead {c.SfLead} was converted into contact {contactId}";
                    string? blocked = null;
                    if (_localIncomplete)
                    {
                        blocked = $"{from}, but the local snapshot was not read completely (a local record of that contact may be on an unread line): the local lead is not marked yet; the next complete run takes the conversion.";
                    }
                    else if (contact != null && IsTrue(contact, "IsPersonAccount"))
                    {
                        blocked = $"{from}, a person account: person accounts are not supported (seed 003), the local lead is left as it is.";
                    }
                    else if (holder != null)
                    {
                        blocked = $"{from}, which local {(_contactLeads.Contains(holder) ? "lead" : "contact")} {holder} already stands for: the local lead {l.Id} is the same person; not marked and not linked (one local record per Salesforce contact). Merge {l.Id} into {holder} locally; held back (pending in the sync state) until then.";
                    }
                    else if (keeper != null)
                    {
                        blocked = $"{from}, as local lead {keeper}'s Salesforce lead was (two leads merged into one contact by the conversion): {keeper}, converted first, is marked as that contact; {l.Id} is the same person, not marked and not linked. Merge {l.Id} into {keeper} locally; held back (pending in the sync state) until then.";
                    }
                    else if (localContacts.ContainsKey(l.Id!))
                    {
                        blocked = $"{from}, but a local contact has the same id {l.Id} as the lead, so the link would be ambiguous: not marked; held back (pending in the sync state).";
                    }
                    if (blocked != null)
                    {
                        Skip(SyncSide.Local, "Lead", l.Id, ConversionStep + ": local lead not marked", blocked);
                        if (!_localIncomplete && !blocked.Contains("person account")) HoldPending(SyncSide.Local, "Lead", l.Id!);
                        continue;
                    }
                    keeper = l.Id;
                    CrmRecord? sl = c.SfLead != null && sfLeads.TryGetValue(c.SfLead, out var found) ? found : null;
                    Convert(l, contactId, sl, contact, from, c.Linked);
                }
            }
        }

        /// <summary>Marks a local lead as the contact its Salesforce lead was converted into (see <see cref="Conversions"/>).</summary>
        private void Convert(CrmRecord local, string contactId, CrmRecord? sfLead, CrmRecord? contact, string from, bool linked)
        {
            var edited = LeadEditedSinceLastSync(local);
            // 1. The Salesforce lead's own changes since the last sync (made before the conversion) are taken as Leads.3
            //    would take them, except that the conversion's time stamp is not an edit: a two-way field the local lead
            //    changed since the last sync keeps the local value.
            var effective = new CrmRecord("Lead", local.Count);
            foreach (var f in local) effective.Set(f.Key, f.Value);
            var taken = new List<string>();
            if (sfLead != null)
            {
                var lo = _p.Object("Leads");
                var lt = Time(local, _p.LocalModifiedField);
                var st = Time(sfLead, _p.SalesforceModifiedField);
                foreach (var f in local)
                {
                    if (IsSystem(f.Key) || IsConversionField(f.Key) || Lookups.ContainsKey(f.Key)) continue;
                    var sn = lo.SalesforceName(f.Key);
                    if (IsSystem(sn) || !sfLead.TryGet(sn, out var sv) || Same(f.Value, sv)) continue;
                    var d = _p.FieldDirection("Leads", f.Key);
                    var localKeeps = d == SyncDirection.Push || (d == SyncDirection.TwoWay && (edited || (lt != null && (st == null || lt > st))));
                    if (localKeeps) continue;
                    effective.Set(f.Key, sv);
                    taken.Add(f.Key);
                }
            }
            // 2. The contact's values, per the Contacts field rules; a value the conversion only copied from the lead is
            //    not a Salesforce edit, so the local lead's edit since the last sync wins it.
            var r = contact == null ? new Resolution()
                : ResolveFields("Contacts", "Contact", effective, contact, ConversionStep + ": local lead marked as a contact", ConversionStep + ": update Salesforce contact", CarriedByConversion(local, contact, sfLead));
            var before = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            var after = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var f in local)
            {
                if (IsSystem(f.Key) || string.Equals(f.Key, _p.CrmIdField, StringComparison.OrdinalIgnoreCase)) continue;
                var value = r.LAfter.TryGetValue(f.Key, out var v) ? v : effective[f.Key];
                if (Same(f.Value, value)) continue;
                before[f.Key] = f.Value;
                after[f.Key] = value;
            }
            if (!IsContactLead(local))
            {
                before["IsContact"] = local["IsContact"];
                after["IsContact"] = true;
            }
            if (local.GetString(_p.CrmIdField) != contactId)
            {
                before[_p.CrmIdField] = local[_p.CrmIdField];
                after[_p.CrmIdField] = contactId;
            }
            // The lead's link moves to the contact: later runs take the two as one record.
            _state.Unlink("Lead", local.Id!);
            _state.Link("Contact", local.Id!, contactId);
            LinkRun("Contact", contactId, local.Id!);
            _contactLeads.Add(local.Id!);
            if (contact != null) _convertedContactsDone.Add(contactId);
            else
            {
                // The contact is not in this snapshot: the next run takes it whatever its time, and its values then.
                HoldPending(SyncSide.Salesforce, "Contact", contactId);
                if (edited) HoldPending(SyncSide.Local, "Lead", local.Id!);
            }
            var account = sfLead?.GetString("ConvertedAccountId");
            var date = sfLead?.GetString("ConvertedDate");
            var reasons = new List<string>
            {
                $"{from}{(string.IsNullOrWhiteSpace(account) ? "" : " (account " + account + ")")}{(string.IsNullOrWhiteSpace(date) ? "" : " on " + date)}; the local lead {local.Id} is that person ({(linked ? "linked to the lead" : "matched as Leads.2 matches leads")}): marked as a contact and linked to {contactId} instead of the lead; no local contact is created",
            };
            if (taken.Count > 0) reasons.Add($"taken from the Salesforce lead (changed there since the last sync): {string.Join(", ", taken)}");
            if (contact == null) reasons.Add($"contact {contactId} is not in this snapshot: its values are taken by the next run that has it");
            reasons.AddRange(r.Reasons);
            var reason = string.Join("; ", reasons) + ".";
            Add(SyncSide.Local, "Lead", SyncOperation.Update, local.Id, before, after, ConversionStep + ": local lead marked as a contact", reason);
            if (r.SAfter.Count > 0) Add(SyncSide.Salesforce, "Contact", SyncOperation.Update, contactId, r.SBefore, r.SAfter, ConversionStep + ": the local lead's newer values, update Salesforce contact", reason);
            if (sfLead != null) Associate("Lead", local, sfLead);
        }

        private static bool IsConversionField(string field) =>
            field.Equals("IsContact", StringComparison.OrdinalIgnoreCase) || field.Equals("IsConverted", StringComparison.OrdinalIgnoreCase) || field.Equals("ConvertedDate", StringComparison.OrdinalIgnoreCase)
            || field.Equals("ConvertedContactId", StringComparison.OrdinalIgnoreCase) || field.Equals("ConvertedAccountId", StringComparison.OrdinalIgnoreCase);

        // Modified since the last sync (leads' local watermark), or held from the conversion run with edits not yet applied.
        private bool LeadEditedSinceLastSync(CrmRecord lead) =>
            Since(Time(lead, _p.LocalModifiedField), _old.Watermark(SyncSide.Local, "Leads")) || IsPending(SyncSide.Local, "Lead", lead.Id);

        /// <summary>
        /// For a local lead standing for a Salesforce contact: the two-way fields whose contact value is still the one the
        /// conversion copied from the Salesforce lead (equal to the converted lead's), when the local lead was edited since
        /// the last sync: the local edit is the newer value. Null when no converted lead is known (the times decide).
        /// </summary>
        private Func<string, bool>? CarriedByConversion(CrmRecord localLead, CrmRecord contact, CrmRecord? sfLead = null)
        {
            if (sfLead == null && contact.Id != null && _convertedInto.TryGetValue(contact.Id, out var ids))
            {
                var byId = Dict(_sfById, "Lead");
                foreach (var id in ids)
                {
                    if (byId.TryGetValue(id, out sfLead)) break;
                }
            }
            if (sfLead == null || !LeadEditedSinceLastSync(localLead)) return null;
            var lo = _p.Object("Leads");
            var co = _p.Object("Contacts");
            var lead = sfLead;
            return field => lead.TryGet(lo.SalesforceName(field), out var lv) && contact.TryGet(co.SalesforceName(field), out var cv) && Same(lv, cv);
        }

        // ---- Lead score (push) ------------------------------------------------------------------------------

        private void LeadScore(HashSet<string> pulledLeads, HashSet<string> pulledContacts)
        {
            if (_p.Object("LeadScore").Direction != SyncDirection.Push) return;
            foreach (var (type, objectName, pulled) in new[] { ("Lead", "Leads", pulledLeads), ("Contact", "Contacts", pulledContacts) })
            {
                foreach (var l in ModifiedLocal(type, objectName))
                {
                    if (l.Id == null || pulled.Contains(l.Id) || !l.Has(_p.LeadScoreField)) continue;
                    if (type == "Lead" && IsContactLead(l)) continue;
                    var sfId = SalesforceIdOf(type, l);
                    if (sfId == null || LocalIdOf(type, sfId) != l.Id || !Dict(_sfById, type).TryGetValue(sfId, out var s)) continue;
                    var sfField = _p.Object(objectName).SalesforceName(_p.LeadScoreField);
                    if (Same(s[sfField], l[_p.LeadScoreField])) continue;
                    // Pushing the score stamps the Salesforce record newer than the local edits rule L8 held back, and the
                    // next run would then pull the stale Salesforce values over them: the score waits with them.
                    var held = HeldBackEdits(objectName, l, s);
                    if (held.Count > 0)
                    {
                        Skip(SyncSide.Salesforce, type, l.Id, "LeadScore.1 push lead score", $"Lead score not pushed: it would make Salesforce {sfId} newer than the local edits of {string.Join(", ", held)} that are not pushed (rule L8), and the next run would overwrite them; it goes with them when the Salesforce record is next modified, or with pushLinkedEdits in the profile.");
                        continue;
                    }
                    Add(SyncSide.Salesforce, type, SyncOperation.Update, sfId, new Dictionary<string, object?> { [sfField] = s[sfField] }, new Dictionary<string, object?> { [sfField] = l[_p.LeadScoreField] },
                        "LeadScore.1 push lead score", "Lead score pushes to Salesforce.");
                }
            }
        }

        // ---- Events (push) ----------------------------------------------------------------------------------

        private void Events()
        {
            if (_p.Object("Events").Direction != SyncDirection.Push) return;
            var last = _old.Watermark(SyncSide.Local, "Events");
            // A partial local snapshot may lack pending events on unread lines: those stay pending.
            if (!_localIncomplete) _state.PendingEvents.Clear();
            // Events.1 local events that happened since the last sync.
            foreach (var ev in List(_local, "Event").OrderBy(r => r.Id, StringComparer.Ordinal))
            {
                var when = Time(ev, "EventDate") ?? Time(ev, _p.LocalModifiedField);
                if (when == null)
                {
                    // Without a time it cannot be told whether it was already pushed: report, never push twice.
                    Skip(SyncSide.Salesforce, _p.ActivityObject, ev.Id, "Events.1 local events since the last sync", "The event has no EventDate (or " + _p.LocalModifiedField + "): not pushed.");
                    continue;
                }
                // An event held back earlier because its lead had no Salesforce id yet is taken again whatever its time.
                var pending = ev.Id != null && _old.PendingEvents.Contains(ev.Id);
                // Events after this run's watermark (later than the snapshot) wait for the run that has them in its snapshot.
                if (!pending && ((last != null && when <= last) || (_eventsLimit != null && when > _eventsLimit))) continue;
                // Events.2 only when the event's lead has a Salesforce id.
                var leadId = ev.GetString("LeadId") ?? ev.GetString("ContactId");
                // A lead converted in Salesforce is its contact there (a converted lead takes no activity).
                string? whoId = leadId != null && _contactLeads.Contains(leadId) ? LinkedSalesforceId("Contact", leadId) : null;
                foreach (var type in new[] { "Lead", "Contact" })
                {
                    if (leadId != null && Dict(_localAll, type).ContainsKey(leadId)) whoId ??= SalesforceIdOf(type, leadId);
                    whoId ??= leadId == null ? null : _state.SalesforceIdOf(type, leadId);
                }
                if (whoId == null)
                {
                    Skip(SyncSide.Salesforce, _p.ActivityObject, ev.Id, "Events.2 the event's lead has a Salesforce id", $"The event's lead ({leadId ?? "none"}) has no Salesforce id: not pushed yet (kept pending in the sync state; pushed once the lead has one).");
                    if (ev.Id != null) _state.PendingEvents.Add(ev.Id);
                    continue;
                }
                // Salesforce takes no activity on a converted lead (it moved the lead's activities to the contact when it
                // converted it): an event of a local lead still linked to a converted lead (the second of two leads
                // converted into one contact, held back to be merged locally) goes to that contact.
                var whoNote = "";
                if (_convertedLeads.TryGetValue(whoId, out var intoContact))
                {
                    whoNote = $" (Salesforce lead {whoId} was converted into contact {intoContact}: the activity goes to the contact)";
                    whoId = intoContact;
                }
                if (ev.Id != null) _state.PendingEvents.Remove(ev.Id);
                // Events.3 grab the event's object and describe it; Events.4 push it.
                var (subject, description) = Describe(ev);
                var after = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
                {
                    [_p.ExternalIdField] = ev.Id,
                    ["WhoId"] = whoId,
                    ["Subject"] = subject,
                    ["Description"] = description,
                    ["ActivityDate"] = when?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    ["Status"] = "Completed",
                };
                Add(SyncSide.Salesforce, _p.ActivityObject, SyncOperation.Event, null, Empty, after, "Events.4 push event as a Salesforce activity", $"Event since the last sync; its lead is {whoId} in Salesforce{whoNote}.");
            }
        }

        /// <summary>The subject and description of an event, from its object (page visit, email open, form, ...).</summary>
        public static (string Subject, string Description) Describe(CrmRecord ev)
        {
            var what = (ev.GetString("Object") ?? ev.GetString("Type") ?? "event").Trim();
            var target = ev.GetString("Name") ?? ev.GetString("Url") ?? ev.GetString("Target") ?? "";
            var key = new string(what.Where(char.IsLetter).ToArray()).ToLowerInvariant();
            var t = target.Length > 0 ? " " + target : "";
            return key switch
            {
                "pagevisit" or "page" or "visit" or "webvisit" => ("Page visit", "Visited page" + t),
                "emailopen" or "open" => ("Email open", "Opened email" + t),
                "emailclick" or "click" or "linkclick" => ("Email click", "Clicked a link in email" + t),
                "form" or "formsubmit" or "formsubmission" => ("Form submission", "Submitted form" + t),
                "download" => ("Download", "Downloaded" + t),
                "webinar" => ("Webinar", "Attended webinar" + t),
                "unsubscribe" => ("Unsubscribe", "Unsubscribed" + t),
                _ => (what, what + t),
            };
        }

        // ---- Ids (write-back and pruning) ---------------------------------------------------------------------

        private static readonly string[] LinkedTypes = { "Account", "Campaign", "Opportunity", "Lead", "Contact" };

        /// <summary>
        /// Ids.1: a local record linked to a Salesforce record (by an insert result, or matched by external id or email
        /// in an earlier run whose local changes were not applied) without the CRM id in its own field learns it, unless
        /// a change of this run already writes it.
        /// </summary>
        private void WriteBackIds()
        {
            var written = new HashSet<string>(_changes.Where(c => c.Side == SyncSide.Local && c.Id != null && c.FieldsAfter.ContainsKey(_p.CrmIdField)).Select(c => c.ObjectType + "\n" + c.Id), StringComparer.OrdinalIgnoreCase);
            foreach (var type in LinkedTypes)
            {
                if (!_localAll.TryGetValue(type, out var entries)) continue;
                foreach (var l in entries.Where(e => RecordValue.IsBlank(e.Value.Crm)).OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    var sfId = _state.SalesforceIdOf(type, l.Key);
                    if (sfId == null || written.Contains(type + "\n" + l.Key)) continue;
                    var owner = LocalIdOf(type, sfId);
                    if (owner != null && owner != l.Key)
                    {
                        Skip(SyncSide.Local, type, l.Key, "Ids.1 write back the Salesforce id of a linked record", $"Linked to Salesforce {type.ToLowerInvariant()} {sfId}, which local {type.ToLowerInvariant()} {owner} holds as its CRM id: not written back (fix the duplicate).");
                        continue;
                    }
                    Add(SyncSide.Local, type, SyncOperation.Update, l.Key, new Dictionary<string, object?> { [_p.CrmIdField] = l.Value.Crm }, new Dictionary<string, object?> { [_p.CrmIdField] = sfId },
                        "Ids.1 write back the Salesforce id of a linked record", $"Linked to Salesforce {type.ToLowerInvariant()} {sfId} (an insert result or an earlier sync); the local record does not carry its CRM id yet.");
                }
            }
        }

        /// <summary>
        /// Removes links whose local record is not in the local snapshot, or whose Salesforce record is not in the
        /// Salesforce snapshot (links from this run's insert results excepted: the snapshot may predate the insert).
        /// Only for complete snapshots: with exports of recent changes every unchanged record would look deleted.
        /// </summary>
        private List<SyncLink> PruneLinks(IList<SyncLink> fresh)
        {
            var keep = new HashSet<string>(fresh.Select(f => f.ObjectType + "\n" + f.LocalId + "\n" + f.SalesforceId), StringComparer.OrdinalIgnoreCase);
            var pruned = new List<SyncLink>();
            foreach (var type in _state.LinkedTypes.OrderBy(t => t, StringComparer.Ordinal).ToList())
            {
                var localIds = Dict(_localAll, type);
                var sfIds = Set(_sfAll, type);
                foreach (var link in _state.Links(type).OrderBy(l => l.Key, StringComparer.Ordinal).ToList())
                {
                    if (keep.Contains(type + "\n" + link.Key + "\n" + link.Value)) continue;
                    // A record missing from a snapshot that was not read completely may be on an unread line: not a reason.
                    var goneLocal = !_localIncomplete && !localIds.ContainsKey(link.Key) && !(type == "Contact" && Dict(_localAll, "Lead").ContainsKey(link.Key));
                    var goneSf = !_sfIncomplete && !sfIds.Contains(link.Value);
                    if (!goneLocal && !goneSf) continue;
                    _state.Unlink(type, link.Key);
                    pruned.Add(new SyncLink(type, link.Key, link.Value));
                }
            }
            return pruned;
        }

        // ---- Shared steps ------------------------------------------------------------------------------------

        private IEnumerable<CrmRecord> ModifiedSalesforce(string type, string objectName)
        {
            var last = _old.Watermark(SyncSide.Salesforce, objectName);
            return List(_sf, type).Where(r => r.Id != null && (Since(Time(r, _p.SalesforceModifiedField), last) || IsPending(SyncSide.Salesforce, type, r.Id))).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        }

        private IEnumerable<CrmRecord> ModifiedLocal(string type, string objectName)
        {
            var last = _old.Watermark(SyncSide.Local, objectName);
            return List(_local, type).Where(r => r.Id != null && (Since(Time(r, _p.LocalModifiedField), last) || IsPending(SyncSide.Local, type, r.Id))).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        }

        private static bool Since(DateTimeOffset? time, DateTimeOffset? last) => last == null || time == null || time > last;

        private CrmRecord? FindLocal(string type, CrmRecord s, string? email)
        {
            var byId = Dict(_localById, type);
            if (Dict(_localIdOfSf, type).TryGetValue(s.Id!, out var id))
            {
                if (byId.TryGetValue(id, out var held)) return held;
                // A local lead marked as this contact (converted in Salesforce) stands for it.
                if (type == "Contact" && _contactLeads.Contains(id) && Dict(_localById, "Lead").TryGetValue(id, out held)) return held;
            }
            CrmRecord? r;
            var ext = s.GetString(_p.ExternalIdField);
            if (ext != null && byId.TryGetValue(ext, out r) && SalesforceIdOf(type, r) == null) return r;
            if (!string.IsNullOrWhiteSpace(email) && LocalIdsByEmail(type).TryGetValue(email!.Trim(), out var candidates))
            {
                foreach (var candidate in candidates)
                {
                    if (SalesforceIdOf(type, candidate) == null && byId.TryGetValue(candidate, out var found)) return found;
                }
            }
            return null;
        }

        private string? SalesforceIdOf(string type, CrmRecord local)
        {
            var crm = local.GetString(_p.CrmIdField);
            if (!string.IsNullOrWhiteSpace(crm)) return crm;
            return local.Id == null ? null : LinkedSalesforceId(type, local.Id);
        }

        /// <summary>The Salesforce id of a local record known by id only (its entry's CRM id, else its links).</summary>
        private string? SalesforceIdOf(string type, string localId)
        {
            if (_localAll.TryGetValue(type, out var all) && all.TryGetValue(localId, out var e))
            {
                var crm = CrmText(e);
                if (crm != null) return crm;
            }
            return LinkedSalesforceId(type, localId);
        }

        private string? LinkedSalesforceId(string type, string localId)
        {
            var linked = _state.SalesforceIdOf(type, localId);
            if (linked != null) return linked;
            // Linked in this run (matched by external id or email).
            return Dict(_sfIdOfLocal, type).TryGetValue(localId, out var run) ? run : null;
        }

        private void LinkRun(string type, string sfId, string localId)
        {
            Dict(_localIdOfSf, type)[sfId] = localId;
            Dict(_sfIdOfLocal, type)[localId] = sfId;
        }

        private string? LocalIdOf(string type, string? sfId) => sfId != null && Dict(_localIdOfSf, type).TryGetValue(sfId, out var id) ? id : null;

        /// <summary>In a partial run, an insert into the side whose snapshot was not read completely is held back (reported):
        /// the record it would duplicate may be on an unread line. The watermarks stay, so the next complete run takes it.</summary>
        private bool HoldInsert(SyncSide into, string type, string? id, string step)
        {
            if (!(into == SyncSide.Local ? _localIncomplete : _sfIncomplete)) return false;
            Skip(into, type, id, step, $"The {(into == SyncSide.Local ? "local" : "Salesforce")} snapshot was not read completely: not inserted (its match may be on an unread line); the next complete run takes it.");
            return true;
        }

        private CrmRecord? InsertLocal(string type, string objectName, CrmRecord s, string step, string reason)
        {
            var o = _p.Object(objectName);
            var id = ProvisionalId(s.Id!);
            var record = new CrmRecord(type);
            record.Add("Id", id);
            var after = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            foreach (var f in s)
            {
                if (IsSystem(f.Key)) continue;
                var ln = o.LocalName(f.Key);
                var value = f.Value;
                if (Lookups.TryGetValue(ln, out var target) && !RecordValue.IsBlank(value))
                {
                    // A Salesforce id in a lookup becomes the local id of its record (one inserted earlier in this run too).
                    var sfRef = RecordValue.ToText(value)!;
                    var localRef = LocalIdOf(target, sfRef);
                    if (localRef == null)
                    {
                        Skip(SyncSide.Local, type, s.Id, step, $"Its {ln} {sfRef} has no local {target.ToLowerInvariant()} yet: held back (pending in the sync state), created by the first run after that {target.ToLowerInvariant()} is linked.");
                        HoldPending(SyncSide.Salesforce, type, s.Id!);
                        return null;
                    }
                    value = localRef;
                }
                after[ln] = value;
                record.Set(ln, value);
            }
            after[_p.CrmIdField] = s.Id;
            record.Set(_p.CrmIdField, s.Id);
            List(_local, type).Add(record);
            Dict(_localById, type)[id] = record;
            Dict(_localAll, type)[id] = new LocalEntry(s.Id, null);
            LinkRun(type, s.Id!, id);
            _localInserts[type + "\n" + id] = after;
            Add(SyncSide.Local, type, SyncOperation.Insert, id, Empty, after, step, reason);
            return record;
        }

        private bool InsertSalesforce(string type, string objectName, CrmRecord l, string step, string reason)
        {
            var o = _p.Object(objectName);
            var after = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { [_p.ExternalIdField] = l.Id };
            foreach (var f in l)
            {
                if (IsSystem(f.Key) || string.Equals(f.Key, _p.CrmIdField, StringComparison.OrdinalIgnoreCase) || f.Key.Equals("IsContact", StringComparison.OrdinalIgnoreCase)) continue;
                if (o.Fields.TryGetValue(f.Key, out var d) && d == SyncDirection.Pull) continue;
                var value = f.Value;
                if (Lookups.TryGetValue(f.Key, out var target) && !RecordValue.IsBlank(value))
                {
                    // A local id in a lookup becomes the Salesforce id of its record; Salesforce would reject a local id.
                    var localRef = RecordValue.ToText(value)!;
                    var sfRef = SalesforceIdOf(target, localRef);
                    if (sfRef == null)
                    {
                        Skip(SyncSide.Salesforce, type, l.Id, step, $"Its {f.Key} {localRef} has no Salesforce id yet: held back (pending in the sync state), pushed by the first run after that {target.ToLowerInvariant()} has one.");
                        HoldPending(SyncSide.Local, type, l.Id!);
                        return false;
                    }
                    value = sfRef;
                }
                after[o.SalesforceName(f.Key)] = value;
            }
            Add(SyncSide.Salesforce, type, SyncOperation.Insert, null, Empty, after, step, reason);
            return true;
        }

        /// <summary>Compares the fields present on both sides and writes each difference to the side its direction says.</summary>
        private void Resolve(string objectName, string type, CrmRecord local, CrmRecord s, string localStep, string sfStep, Func<string, bool>? localWins = null, bool localTimeStale = false)
        {
            var r = ResolveFields(objectName, type, local, s, localStep, sfStep, localWins, localTimeStale);
            LinkCrmId(type, local, s, r.LBefore, r.LAfter);
            var reason = r.Reasons.Count == 0 ? "Linked to its Salesforce record." : string.Join("; ", r.Reasons) + ".";
            var o = _p.Object(objectName);
            if (r.LAfter.Count > 0) Add(SyncSide.Local, local.ObjectType ?? type, SyncOperation.Update, local.Id, r.LBefore, r.LAfter, localStep, reason);
            if (r.SAfter.Count == 1 && r.SAfter.ContainsKey(o.SalesforceName(_p.LeadScoreField)) && _p.FieldDirection(objectName, _p.LeadScoreField) == SyncDirection.Push) sfStep = "LeadScore.1 push lead score";
            if (r.SAfter.Count > 0) Add(SyncSide.Salesforce, type, SyncOperation.Update, s.Id, r.SBefore, r.SAfter, sfStep, reason);
        }

        private sealed class Resolution
        {
            public Dictionary<string, object?> LBefore { get; } = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            public Dictionary<string, object?> LAfter { get; } = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            public Dictionary<string, object?> SBefore { get; } = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            public Dictionary<string, object?> SAfter { get; } = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            public SortedSet<string> Reasons { get; } = new SortedSet<string>(StringComparer.Ordinal);
        }

        /// <summary>
        /// The differences of the fields present on both sides, each for the side its direction says; nothing is written.
        /// <paramref name="localWins"/> names two-way fields whose local value is the newer one whatever the record times
        /// (a lead converted in Salesforce: see <see cref="Conversions"/>).
        /// </summary>
        private Resolution ResolveFields(string objectName, string type, CrmRecord local, CrmRecord s, string localStep, string sfStep, Func<string, bool>? localWins, bool localTimeStale = false)
        {
            var o = _p.Object(objectName);
            var lt = Time(local, _p.LocalModifiedField);
            var st = Time(s, _p.SalesforceModifiedField);
            // Ties and missing times go to Salesforce (see SyncProfile). A local time that only says "our own marking was
            // applied" (the first run after a conversion whose contact was not in the snapshot) is not an edit.
            var localNewer = !localTimeStale && lt != null && (st == null || lt > st);
            var result = new Resolution();
            var lBefore = result.LBefore;
            var lAfter = result.LAfter;
            var sBefore = result.SBefore;
            var sAfter = result.SAfter;
            var reasons = result.Reasons;
            foreach (var f in local)
            {
                if (IsSystem(f.Key) || string.Equals(f.Key, _p.CrmIdField, StringComparison.OrdinalIgnoreCase)) continue;
                var sn = o.SalesforceName(f.Key);
                if (IsSystem(sn) || !s.TryGet(sn, out var sv) || Same(f.Value, sv)) continue;
                var d = _p.FieldDirection(objectName, f.Key);
                var kept = d == SyncDirection.TwoWay && !localNewer && localWins != null && localWins(f.Key);
                var push = d == SyncDirection.Push || (d == SyncDirection.TwoWay && (localNewer || kept));
                object? toSf = f.Value, toLocal = sv;
                if (Lookups.TryGetValue(f.Key, out var target))
                {
                    // Ids of the two systems are compared through the links, never as text.
                    var localRef = RecordValue.IsBlank(f.Value) ? null : RecordValue.ToText(f.Value);
                    var sfRef = RecordValue.IsBlank(sv) ? null : RecordValue.ToText(sv);
                    var sfAsLocal = sfRef == null ? null : LocalIdOf(target, sfRef);
                    var localAsSf = localRef == null ? null : SalesforceIdOf(target, localRef);
                    if ((sfAsLocal != null && sfAsLocal == localRef) || (localAsSf != null && localAsSf == sfRef)) continue;
                    var unresolved = push ? (localRef != null && localAsSf == null ? $"{f.Key} {localRef} has no Salesforce id yet" : null)
                                          : (sfRef != null && sfAsLocal == null ? $"{f.Key} {sfRef} has no local {target.ToLowerInvariant()}" : null);
                    if (unresolved != null)
                    {
                        Skip(push ? SyncSide.Salesforce : SyncSide.Local, push ? type : local.ObjectType ?? type, push ? s.Id : local.Id, push ? sfStep : localStep, $"{unresolved}: that field is held back (pending in the sync state), the others sync.");
                        HoldPending(push ? SyncSide.Local : SyncSide.Salesforce, push ? local.ObjectType ?? type : type, push ? local.Id! : s.Id!);
                        continue;
                    }
                    toSf = localAsSf;
                    toLocal = sfAsLocal;
                }
                if (push)
                {
                    sBefore[sn] = sv;
                    sAfter[sn] = toSf;
                }
                else
                {
                    lBefore[f.Key] = f.Value;
                    lAfter[f.Key] = toLocal;
                }
                reasons.Add(kept
                    ? $"lead converted in Salesforce: {f.Key} holds the value the conversion copied from the lead, and the local lead's edit since the last sync is newer than that value"
                    : d == SyncDirection.TwoWay
                    ? $"two-way: {(localNewer ? "local" : "Salesforce")} modified more recently (local {Show(lt)}, Salesforce {Show(st)}; Salesforce wins ties)"
                    : $"field direction {d.ToString().ToLowerInvariant()}: {f.Key}");
            }
            return result;
        }

        // A local record matched by external id or email learns its CRM id; the pair is linked in the new state (under the
        // Salesforce record's type: a local lead converted in Salesforce is linked to its contact).
        private void LinkCrmId(string type, CrmRecord local, CrmRecord s, Dictionary<string, object?> before, Dictionary<string, object?> after)
        {
            if (local.GetString(_p.CrmIdField) != s.Id)
            {
                before[_p.CrmIdField] = local[_p.CrmIdField];
                after[_p.CrmIdField] = s.Id;
            }
            LinkRun(type, s.Id!, local.Id!);
            _state.Link(type, local.Id!, s.Id!);
        }

        private bool IsSystem(string field) =>
            SystemFields.Contains(field) || string.Equals(field, _p.LocalModifiedField, StringComparison.OrdinalIgnoreCase) || string.Equals(field, _p.SalesforceModifiedField, StringComparison.OrdinalIgnoreCase)
            || string.Equals(field, _p.ExternalIdField, StringComparison.OrdinalIgnoreCase);

        private static string ProvisionalId(string salesforceId) => "sf:" + salesforceId;

        private static bool IsActive(CrmRecord r) => IsTrue(r, "IsActive") || IsTrue(r, "Active") || string.Equals(r.GetString("Status"), "Active", StringComparison.OrdinalIgnoreCase);

        private static bool IsTrue(CrmRecord r, string field) => string.Equals(r.GetString(field)?.Trim(), "true", StringComparison.OrdinalIgnoreCase) || r.GetString(field)?.Trim() == "1";

        private static bool Same(object? a, object? b)
        {
            var x = RecordValue.IsBlank(a) ? null : RecordValue.ToText(a);
            var y = RecordValue.IsBlank(b) ? null : RecordValue.ToText(b);
            return string.Equals(x, y, StringComparison.Ordinal);
        }

        private static DateTimeOffset? Time(CrmRecord r, string field)
        {
            if (!r.TryGet(field, out var v) || v == null) return null;
            if (v is DateTimeOffset dto) return dto.ToUniversalTime();
            if (v is DateTime dt) return new DateTimeOffset(dt.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(dt, DateTimeKind.Utc) : dt).ToUniversalTime();
            var text = RecordValue.ToText(v);
            if (text == null) return null;
            if (TryParseIso(text, out var fast)) return fast;
            // Salesforce writes +0000 offsets; DateTimeOffset wants +00:00.
            if (text.Length > 5 && (text[text.Length - 5] == '+' || text[text.Length - 5] == '-') && char.IsDigit(text[text.Length - 1]) && text.IndexOf('T') > 0)
            {
                text = text.Substring(0, text.Length - 2) + ":" + text.Substring(text.Length - 2);
            }
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.ToUniversalTime() : (DateTimeOffset?)null;
        }

        /// <summary>
        /// The export formats of both systems without allocation: <c>2026-01-15T09:30:00Z</c>, with fractions of a second
        /// and with <c>Z</c>, <c>+0000</c> or <c>+00:00</c> offsets. False for anything else (the general parser decides).
        /// </summary>
        internal static bool TryParseIso(string s, out DateTimeOffset value)
        {
            value = default;
            if (s.Length < 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
            if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
                || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second)) return false;
            var i = 19;
            long ticks = 0;
            if (i < s.Length && s[i] == '.')
            {
                i++;
                var start = i;
                long scale = TimeSpan.TicksPerSecond;
                while (i < s.Length && s[i] >= '0' && s[i] <= '9')
                {
                    scale /= 10;
                    ticks += (s[i] - '0') * scale;
                    i++;
                }
                if (i == start) return false;
            }
            var offset = TimeSpan.Zero;
            if (i == s.Length) return false; // no zone: left to the general parser (assumed UTC there)
            if (s[i] == 'Z')
            {
                i++;
            }
            else if (s[i] == '+' || s[i] == '-')
            {
                var sign = s[i] == '-' ? -1 : 1;
                if (!Digits(s, i + 1, 2, out var oh)) return false;
                var j = i + 3;
                if (j < s.Length && s[j] == ':') j++;
                if (!Digits(s, j, 2, out var om) || om > 59 || oh > 14 || (oh == 14 && om > 0)) return false;
                offset = new TimeSpan(sign * oh, sign * om, 0);
                i = j + 2;
            }
            if (i != s.Length || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year < 1 ? 1 : year, month) || hour > 23 || minute > 59 || second > 59 || year < 1) return false;
            var utcTicks = new DateTime(year, month, day, hour, minute, second).Ticks + ticks - offset.Ticks;
            if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks) return false;
            value = new DateTimeOffset(utcTicks, TimeSpan.Zero);
            return true;
        }

        private static bool Digits(string s, int start, int count, out int value)
        {
            value = 0;
            if (start + count > s.Length) return false;
            for (var k = start; k < start + count; k++)
            {
                var c = s[k];
                if (c < '0' || c > '9') return false;
                value = value * 10 + (c - '0');
            }
            return true;
        }

        private static string Show(DateTimeOffset? t) => t?.UtcDateTime.ToString(RecordValue.UtcDateTimeFormat, CultureInfo.InvariantCulture) ?? "unknown";

        private static readonly IReadOnlyDictionary<string, object?> Empty = new Dictionary<string, object?>();

        private void Add(SyncSide side, string type, SyncOperation op, string? id, IReadOnlyDictionary<string, object?> before, IReadOnlyDictionary<string, object?> after, string step, string reason) =>
            _changes.Add(new SyncChange(side, type, op, id, before, after, step, reason));

        private void Skip(SyncSide side, string type, string? id, string step, string reason) => _skipped.Add(Skipped(side, type, id, step, reason));

        private static SyncChange Skipped(SyncSide side, string type, string? id, string step, string reason) =>
            new SyncChange(side, type, SyncOperation.Skipped, id, Empty, Empty, step, reason);

        private static List<CrmRecord> List(Dictionary<string, List<CrmRecord>> d, string type)
        {
            if (!d.TryGetValue(type, out var l)) d[type] = l = new List<CrmRecord>();
            return l;
        }

        private static HashSet<string> Set(Dictionary<string, HashSet<string>> d, string type)
        {
            if (!d.TryGetValue(type, out var set)) d[type] = set = new HashSet<string>(StringComparer.Ordinal);
            return set;
        }

        private static Dictionary<string, T> Dict<T>(Dictionary<string, Dictionary<string, T>> d, string type)
        {
            if (!d.TryGetValue(type, out var m)) d[type] = m = new Dictionary<string, T>(StringComparer.Ordinal);
            return m;
        }
    }
}
