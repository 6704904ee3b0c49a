<#
.SYNOPSIS
    Runbook: read every CRM export in a folder, say what is in it and what is wrong with it, and write clean
    Data Loader files.
.DESCRIPTION
    The README's main job. By default it runs on the bundled sample data in examples/data (a Data Loader CSV,
    sf tree files and web-form leads as JSON Lines) and writes to examples/out.
      1. Imports every file (any format LeadTools reads), reporting bad input without stopping.
      2. Counts the records per object type.
      3. Lists leads and contacts without an email, and emails held by more than one lead or contact
         (normalised: trimmed, lower case): candidates for the dedupe and conversion runbooks.
      4. Writes one Data Loader CSV per object type, atomically, values unchanged (formula-like values are only
         counted: escaping them would put the apostrophe into Salesforce).
      5. Finds duplicate leads (Find-CrmDuplicate, same normalised email) and merges each group (the older
         exported lead survives; blanks are filled from the duplicate), with a journal that Undo-CrmMerge can
         restore from, and the key store updated.
      6. Converts the remaining web-form leads into contacts and accounts, records every lead id in the
         alternate key store (examples/out/state) and writes the change files for the CRM
         (examples/out/changes/convert; the merge's are in changes/merge: one run per change folder);
         then checks that deleting by the old lead ids would be caught.
      6b. Picks up what happened in Salesforce since (examples/data/later): a later lead export shows leads the sales
         team converted there (IsConverted, ConvertedContactId, ConvertedDate), which Add-AlternateKey records in the
         key store, and the Data Loader success file of the contact inserts gives the ids Salesforce assigned, which
         Update-ContactKey puts in place of the provisional ones; then the deletion check by the old ids and the
         number of Marketing Cloud contacts (distinct ContactKeys).
      7. Reconciles ActiveCampaign with the Salesforce person accounts (examples/data/activecampaign, settings in
         examples/person-account-tags.json): which contacts sync as person accounts or contacts, the API v3
         operations (contactTag links to delete and add, contact updates where Salesforce changed last,
         contacts to create for selected person accounts) in examples/out/activecampaign-operations.json, and
         the person accounts to create or update in Salesforce (examples/out/changes).
      8. Runs the nightly two-way sync between the marketing platform's snapshot and Salesforce's, for last
         night's exports (examples/data/sync) and tonight's (examples/data/sync/tonight): what each side must
         change, Data Loader CSV files for Salesforce and a JSON Lines file for the platform
         (examples/out/sync, examples/out/sync-tonight), the sync state kept beside the key store. Tonight's
         run picks up an edit made in Salesforce after last night's export, links the lead pushed last night
         (its id written back) and pushes the events that waited for it.
    Running it again merges, converts and syncs nothing twice (the sync only writes the Salesforce id of the lead
    pushed last night back again, until the platform's export carries it).
    Uses only the PowerShell engine's core cmdlets and LeadTools, so it runs in pwsh, Windows PowerShell 5.1
    and the repository's console host alike.
.EXAMPLE
    dotnet run --project src/LeadTools.Shell -- -File examples/Invoke-ExportCheck.ps1
.EXAMPLE
    pwsh ./examples/Invoke-ExportCheck.ps1 -InputFolder ./exports/2026-11-24 -OutputFolder ./dataloader
#>
[CmdletBinding()]
param(
    [string] $InputFolder = "$PSScriptRoot/data",
    [string] $OutputFolder = "$PSScriptRoot/out",
    [string] $StatePath = "$OutputFolder/state"
)

if (-not (Get-Module LeadTools)) {
    $manifest = if ($env:LEADTOOLS_MODULE) { $env:LEADTOOLS_MODULE } else {
        $outDir = [System.IO.Path]::GetFullPath("$PSScriptRoot/../out/LeadTools")
        [string[]] $found = if ([System.IO.Directory]::Exists($outDir)) { [System.IO.Directory]::GetFiles($outDir, 'LeadTools.psd1', 'AllDirectories') }
        if (-not $found) { throw "LeadTools is not built: run 'dotnet build' first (looked in $outDir)." }
        [System.Array]::Sort($found, [System.StringComparer]::Ordinal)
        $found[-1]
    }
    Import-Module $manifest
}

# One change folder per run (a folder holding another run's files is refused, ChangeFolderInUse): the folder given
# while it is new or empty, else the first free "<folder>-2", "<folder>-3", ... (this script may run again over its output).
function Get-RunFolder([string] $Path) {
    $candidate = $Path
    $n = 2
    while ([System.IO.Directory]::Exists($candidate) -and [System.IO.Directory]::GetFileSystemEntries($candidate).Count -gt 0) {
        $candidate = "$Path-$n"
        $n++
    }
    $candidate
}

function Get-ObjectType($Record) { $Record.PSObject.TypeNames[0] -replace '^LeadTools\.CrmRecord#', '' }

# 1. Import everything; bad input is reported per record and the rest goes on.
# -ResolveReferences turns tree references (@AccountRef1) into the referenced record's id.
$files = "$InputFolder/*.csv", "$InputFolder/*.json", "$InputFolder/*.jsonl"
$records = @(Import-CrmRecord -Path $files -ResolveReferences -ErrorVariable importErrors -ErrorAction SilentlyContinue)
foreach ($e in $importErrors) { "Import problem ($($e.FullyQualifiedErrorId.Split(',')[0])): $($e.Exception.Message)" }

# 2. What is in the export.
$byType = [ordered]@{}
foreach ($r in $records) {
    $type = Get-ObjectType $r
    if (-not $byType.Contains($type)) { $byType[$type] = [System.Collections.Generic.List[object]]::new() }
    $byType[$type].Add($r)
}
"Read $($records.Count) records from $InputFolder"
$byType.Keys | ForEach-Object { [pscustomobject]@{ ObjectType = $_; Records = $byType[$_].Count } } | Out-Default

# 3. Data quality: people without an email, and emails that more than one person holds.
$people = @($records | Where-Object { (Get-ObjectType $_) -in 'Lead', 'Contact' })
$noEmail = @($people | Where-Object { [string]::IsNullOrWhiteSpace($_.Email) })
"People without an email: $($noEmail.Count)"
$noEmail | ForEach-Object { [pscustomobject]@{ ObjectType = Get-ObjectType $_; Id = $_.Id; Name = "$($_.FirstName) $($_.LastName)".Trim() } } | Out-Default

$byEmail = @{}
foreach ($p in $people) {
    if ([string]::IsNullOrWhiteSpace($p.Email)) { continue }
    $key = $p.Email.Trim().ToLowerInvariant()
    if (-not $byEmail.ContainsKey($key)) { $byEmail[$key] = [System.Collections.Generic.List[object]]::new() }
    $byEmail[$key].Add($p)
}
# Sorted, so every run lists and merges in the same order.
[string[]] $emails = @($byEmail.Keys)
[System.Array]::Sort($emails, [System.StringComparer]::Ordinal)
$shared = @($emails | Where-Object { $byEmail[$_].Count -gt 1 } | ForEach-Object {
    $group = $byEmail[$_]
    [pscustomobject]@{
        Email   = $_
        Records = $group.Count
        Who     = ($group | ForEach-Object { "$(Get-ObjectType $_) $(if ($_.Id) { $_.Id } else { 'new' })" }) -join ', '
    }
})
"Emails held by more than one lead or contact: $($shared.Count)"
$shared | Out-Default

# 4. One Data Loader CSV per object type, written atomically. Never -EscapeFormula here: these files go to Data
# Loader, which would save the escaping apostrophe with the value; formula-like values are only counted
# (FormulaValueCount). -EscapeFormula is for copies people open in a spreadsheet.
[void][System.IO.Directory]::CreateDirectory($OutputFolder)
$written = foreach ($type in $byType.Keys) {
    $byType[$type] | Export-CrmRecord -Path "$OutputFolder/$type.csv" -PassThru -WarningAction SilentlyContinue
}
$written | Out-Default

# Funnel rules (Full Circle Funnel Metrics, seed 001): the status configuration and the campaign members.
$funnelConfig = $null
$funnelRecords = @()
if ([System.IO.File]::Exists("$InputFolder/funnel/funnel.json")) {
    $funnelConfig = Import-FunnelStatusConfig "$InputFolder/funnel/funnel.json"
    $funnelRecords = @(Import-CrmRecord "$InputFolder/funnel/CampaignMember.json")
}

# 5. Find duplicate leads (same normalised email) and merge them: the oldest survives, blanks are filled;
#    with the funnel configuration the status and responses follow seed 001, duplicate memberships are journalled.
$leads = @($byType['Lead'] | Where-Object { $_.Id })
$groups = @($leads | Find-CrmDuplicate -Strategy EmailExact)
$done = @{}
$ids = @($groups | ForEach-Object { $_.MemberIds })
if ($ids.Count -gt 0) {
    Resolve-ContactKey -Id $ids -StatePath $StatePath | Where-Object { $_.How -eq 'Merged' } | ForEach-Object { $done[$_.Id] = $true }
}
$toMerge = @($groups | Where-Object { -not ($_.MemberIds | Where-Object { $done.ContainsKey($_) }) })
"Duplicate lead groups to merge: $($toMerge.Count) (merged earlier: $($groups.Count - $toMerge.Count))"
$merged = @{}
if ($toMerge.Count -gt 0) {
    $mergeResults = $toMerge | Merge-CrmRecord -FieldRule @{ Phone = 'FillBlanks'; MobilePhone = 'FillBlanks'; LeadSource = 'FillBlanks'; Title = 'FillBlanks' } `
            -RelatedRecord ($records + $funnelRecords) -Config $funnelConfig -StatePath $StatePath -ChangeFolder "$OutputFolder/changes/merge" -Confirm:$false
    $mergeResults | Out-Default
    $mergeResults | ForEach-Object { "Merge funnel: group $($_.GroupId) row $($_.FunnelRow); memberships destroyed: $(@($_.MembershipsDestroyed).Count)" }
    $mergeResults | ForEach-Object { foreach ($d in $_.DeletedIds) { $merged[$d] = $true } }
}

# 6. Convert the web-form leads; every old lead id stays resolvable through the key store.
$webLeads = @($byType['Lead'] | Where-Object { $_.Id -and $_.Company -and $_.LeadSource -and -not $merged.ContainsKey($_.Id) })
$known = @{}
if ($webLeads.Count -gt 0) {
    Resolve-ContactKey -Id $webLeads.Id -StatePath $StatePath | Where-Object { $_.How -in 'Converted', 'Merged' } | ForEach-Object { $known[$_.Id] = $_.ContactKey }
}
$toConvert = @($webLeads | Where-Object { -not $known.ContainsKey($_.Id) })
"Leads to convert: $($toConvert.Count) (converted or merged earlier: $($known.Count))"
if ($toConvert.Count -gt 0) {
    # The contact status the funnel rules decide is shown, not written: Funnel Metrics sets it after the conversion.
    $conversions = $toConvert | Convert-LeadRecord -StatePath $StatePath -ChangeFolder "$OutputFolder/changes/convert" -RelatedRecord ($records + $funnelRecords) -Config $funnelConfig
    $conversions | Out-Default
    $conversions | ForEach-Object { "Conversion funnel: lead $($_.LeadId) row $($_.FunnelRow); expected contact status: $($_.Contact.Status)" }
}
$converted = @($webLeads | Where-Object { $_.Id } | ForEach-Object Id)
"Deletion check of the web-form lead ids:"
if ($converted.Count -gt 0) {
    Test-ContactKeyDeletion -Id $converted -StatePath $StatePath | Out-Default
}

# 6b. What happened in Salesforce since: conversions done there (a later lead export) and the ids it gave the inserted contacts.
if ([System.IO.Directory]::Exists("$InputFolder/later")) {
    $later = @(Import-CrmRecord -Path "$InputFolder/later/Lead.csv")
    $convertedThere = @($later | Where-Object { "$($_.IsConverted)" -eq 'true' })
    $picked = @($later | Add-AlternateKey -StatePath $StatePath -PassThru -Confirm:$false | Where-Object How -eq 'Converted')
    "Leads converted in Salesforce: $($convertedThere.Count) (picked up now: $($picked.Count))"
    if ($convertedThere.Count -gt 0) {
        Resolve-ContactKey -Id $convertedThere.Id -StatePath $StatePath | Out-Default
    }
    $successFiles = @([System.IO.Directory]::GetFiles("$InputFolder/later", '*-success.csv'))
    if ($successFiles.Count -gt 0) {
        $rekeyed = @(Update-ContactKey -Path $successFiles -StatePath $StatePath -PassThru -Confirm:$false)
        "Provisional ids re-keyed to Salesforce's: $(@($rekeyed | Where-Object Result -eq 'Rekeyed').Count) (earlier: $(@($rekeyed | Where-Object Result -eq 'AlreadyRekeyed').Count))"
    }
    # The old ids of the converted leads, and a web lead merged into one of them in step 5: deleting by any of them deletes a live contact.
    "Deletion check of the old ids (converted in Salesforce, merged away):"
    $mergedAway = @(Resolve-ContactKey -Id @($byType['Lead'] | Where-Object { $_.Id } | ForEach-Object Id) -StatePath $StatePath | Where-Object How -eq 'Merged' | ForEach-Object Id)
    Test-ContactKeyDeletion -Id (@($convertedThere | ForEach-Object Id) + $mergedAway) -StatePath $StatePath | Out-Default
    $count = Measure-ContactKey -StatePath $StatePath
    "Marketing Cloud contacts (distinct ContactKeys) in the key store: $($count.ContactKeys) ($($count.Leads) leads, $($count.Contacts) contacts, $($count.ProvisionalKeys) still provisional); old keys: $($count.AlternateKeys)"
}

# 7. ActiveCampaign: person-account tags are the source of truth; clean up the contact tags.
if ([System.IO.Directory]::Exists("$InputFolder/activecampaign")) {
    # Fields sync both ways: the side changed last (ActiveCampaign udate, Salesforce LastModifiedDate) wins.
    $tags = @(Import-CrmRecord -Path "$InputFolder/activecampaign/*.json" |
        Sync-PersonAccountTags -ConfigPath "$PSScriptRoot/person-account-tags.json" -OperationPath "$OutputFolder/activecampaign-operations.json" -ChangeFolder (Get-RunFolder "$OutputFolder/changes/person-accounts") -StatePath $StatePath)
    $operations = @($tags | ForEach-Object { $_.Operations })
    $tagOperations = @($operations | Where-Object { $_.Action -in 'DeleteContactTag', 'AddContactTag' })
    $contactUpdates = @($operations | Where-Object Action -eq 'UpdateContact')
    $contactCreates = @($operations | Where-Object Action -eq 'CreateContact')
    $requests = @($tags | Where-Object PersonAccountToCreate)
    $accountUpdates = @($tags | Where-Object PersonAccountUpdate)
    "ActiveCampaign contacts: $(@($tags | Where-Object ContactId).Count); tag operations: $($tagOperations.Count); contact updates: $($contactUpdates.Count); contacts to create: $($contactCreates.Count); person accounts to create: $($requests.Count), to update: $($accountUpdates.Count)"
    $tags | Where-Object { $_.Conflict -or $_.Migrated -or $_.PersonAccountToCreate -or $_.ContactUpdate -or $_.ContactToCreate -or $_.TagsToAdd } | Out-Default
}

# 8. Nightly sync with the marketing platform: both snapshots and the sync state say what each side must change.
#    Last night's exports (sync/), then tonight's (sync/tonight/). A Salesforce user edited Mei Tanaka's title at
#    20:15, after last night's export and before that night's sync ran: "modified since the last sync" is measured
#    against the newest time in last night's export, not the clock of the run, so tonight's sync picks the edit up.
#    Sales also converted Jonas Weber's lead today: tonight his local lead is marked as the new contact and linked to
#    it, rather than the contact coming back as a second local record of him.
if ([System.IO.File]::Exists("$InputFolder/sync/local.jsonl")) {
    foreach ($night in @(@{ Name = 'last night'; Folder = "$InputFolder/sync"; Out = "$OutputFolder/sync" }, @{ Name = 'tonight'; Folder = "$InputFolder/sync/tonight"; Out = "$OutputFolder/sync-tonight" })) {
        if (-not [System.IO.File]::Exists("$($night.Folder)/local.jsonl")) { continue }
        $before = Get-CrmSyncState -StatePath $StatePath
        $sync = @(Sync-CrmRecord -LocalPath "$($night.Folder)/local.jsonl" -SalesforcePath "$($night.Folder)/salesforce.json" -StatePath $StatePath `
                -ChangeFolder (Get-RunFolder $night.Out) -WarningVariable syncSkipped -WarningAction SilentlyContinue -Confirm:$false)
        $toSalesforce = @($sync | Where-Object Side -eq 'Salesforce')
        "Sync ($($night.Name)): $($toSalesforce.Count) change(s) for Salesforce, $($sync.Count - $toSalesforce.Count) for the marketing platform, $($syncSkipped.Count) record(s) skipped"
        if ($before.SalesforceWatermark.Count -gt 0) {
            "  modified since: Salesforce contacts after $($before.SalesforceWatermark['Contacts'].ToString('yyyy-MM-dd HH:mm')) UTC (the newest time in the last synced export), leads after $($before.SalesforceWatermark['Leads'].ToString('yyyy-MM-dd HH:mm')) UTC"
        }
        foreach ($c in $sync) { "  $($c.Side) $($c.Operation) $($c.ObjectType) $($c.Id): $($c.Step) $((@($c.FieldsAfter.Keys | ForEach-Object { "$_=$($c.FieldsAfter[$_])" })) -join ', ')" }
        foreach ($w in $syncSkipped) { "  skipped: $w" }
    }
}
