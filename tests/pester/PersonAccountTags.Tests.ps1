# An admin's regression check after changing the ActiveCampaign automation or the person-account settings
# of the Salesforce integration (SPEC 8, seed 002): every contact with a person-account tag syncs as a
# person account, the cleanup operations remove only contact tags and leave no contact with both tag sets,
# requests create exactly the expected person accounts with the configured record type, the update
# policies and the outbound option do what the settings say. Pester 5 syntax; runs under Invoke-Pester and
# the test project's runner.
# Point $acExport, $sfExport and $configPath at your own files (GET /api/3/contacts, /api/3/tags and
# /api/3/contactTags responses; a query of person accounts with Id, IsPersonAccount, PersonEmail, the mapped
# fields, LastModifiedDate and the outbound flag); the sample exports and an example configuration are used here.

BeforeAll {
    $manifest = if ($env:LEADTOOLS_MODULE) { $env:LEADTOOLS_MODULE } else {
        $outDir = [System.IO.Path]::GetFullPath("$PSScriptRoot/../../out/LeadTools")
        [string[]] $found = if ([System.IO.Directory]::Exists($outDir)) { [System.IO.Directory]::GetFiles($outDir, 'LeadTools.psd1', 'AllDirectories') }
        if (-not $found) { throw "LeadTools is not built: run 'dotnet build' first (looked in $outDir)." }
        [System.Array]::Sort($found, [System.StringComparer]::Ordinal)
        $found[-1]
    }
    Import-Module $manifest -Force

    $acExport = "$PSScriptRoot/data/ac-tags.json"
    $sfExport = "$PSScriptRoot/data/sf-person-accounts.json"
    $recordTypeId = '012000000000PAAAAA'
    $configPath = [System.IO.Path]::Combine($TestDrive, 'person-account-tags.json')
    [System.IO.File]::WriteAllText($configPath, @"
{
  "schemaVersion": 1,
  "defaultRecordTypeId": "$recordTypeId",
  "fieldMapping": [
    { "from": "firstName", "to": "FirstName", "policy": "AlwaysUpdate" },
    { "from": "lastName", "to": "LastName", "policy": "UpdateIfBlank" },
    { "from": "email", "to": "PersonEmail", "policy": "AlwaysUpdate" },
    { "from": "phone", "to": "Phone", "policy": "UpdateIfBlank" }
  ],
  "outbound": { "mode": "Flagged", "field": "Sync_To_AC__c", "equals": "true" }
}
"@)
    # The integration's tag names (keep them in step with personAccountTags / contactTags of your file).
    $personAccountTags = 'created-from-salesforce-person-account', 'salesforce-lead-converted-to-person-account', 'added-to-salesforce-person-account'
    $contactTags = 'added-to-salesforce-contact', 'created-from-salesforce-contact', 'salesforce-lead-converted-to-contact'
    $requestTag = 'added-to-salesforce-person-account'

    $records = @(Import-CrmRecord $acExport, $sfExport)
    function OfType($Records, $Type) { @($Records | Where-Object { $_.PSObject.TypeNames[0] -eq "LeadTools.CrmRecord#$Type" }) }
    $contacts = OfType $records 'contact'
    $personAccounts = OfType $records 'Account'

    # Each contact's tag names, read from the export itself (not from the cmdlet), after a set of contactTag links.
    function TagsOf($ContactId, $Links) {
        $tags = OfType $records 'tag'
        @(foreach ($link in @($Links | Where-Object { $_.contact -eq $ContactId })) { ($tags | Where-Object { $_.id -eq $link.tag }).tag })
    }
    # What the export looks like after a runbook has applied the operations in ActiveCampaign.
    function Get-ExportAfter($Records, $Operations) {
        $deleted = @($Operations | Where-Object Action -eq 'DeleteContactTag' | ForEach-Object ContactTagId)
        $kept = @($Records | Where-Object { -not ($_.PSObject.TypeNames[0] -eq 'LeadTools.CrmRecord#contactTag' -and $deleted -contains $_.id) })
        $n = 0
        $added = @(foreach ($op in @($Operations | Where-Object Action -eq 'AddContactTag')) {
            $n++
            [pscustomobject]@{ id = "new-$n"; contact = $op.ContactId; tag = $op.TagId; PSTypeName = 'LeadTools.CrmRecord#contactTag' }
        })
        $kept + $added
    }

    $decisions = @($records | Sync-PersonAccountTags -ConfigPath $configPath)
    function DecisionFor($ContactId) { $decisions | Where-Object ContactId -eq $ContactId }
}

Describe 'The tag configuration' {
    It 'loads' {
        { $records | Sync-PersonAccountTags -ConfigPath $configPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'decides every ActiveCampaign contact of the export' {
        $decisions | Should -HaveCount $contacts.Count
    }

    It 'is refused when broken, naming the key' {
        $broken = [System.IO.Path]::Combine($TestDrive, 'broken.json')
        [System.IO.File]::WriteAllText($broken, '{ "createRequestTag": "added-to-salesforce-contact" }')
        { $records | Sync-PersonAccountTags -ConfigPath $broken -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidTagConfig,*' -ExpectedMessage "*'createRequestTag'*"
    }
}

Describe 'Sync modes' {
    It 'syncs every contact with a person-account tag as a person account' {
        $tagged = @($contacts | Where-Object { $tags = TagsOf $_.id (OfType $records 'contactTag'); @($tags | Where-Object { $personAccountTags -contains $_ }).Count -gt 0 })
        $tagged.Count | Should -BeGreaterThan 0
        foreach ($contact in $tagged) {
            (DecisionFor $contact.id).SyncMode | Should -Be 'PersonAccount' -Because "contact $($contact.id) has a person-account tag"
        }
    }

    It 'syncs contacts with only contact tags as contacts' {
        $contactOnly = @($contacts | Where-Object { $tags = TagsOf $_.id (OfType $records 'contactTag')
            @($tags | Where-Object { $personAccountTags -contains $_ }).Count -eq 0 -and @($tags | Where-Object { $contactTags -contains $_ }).Count -gt 0 })
        $contactOnly.Count | Should -BeGreaterThan 0
        foreach ($contact in $contactOnly) { (DecisionFor $contact.id).SyncMode | Should -Be 'Contact' }
    }

    It 'flags every contact with both tag sets as a conflict' {
        $both = @($decisions | Where-Object { $_.PersonAccountTags.Count -gt 0 -and $_.ContactTags.Count -gt 0 })
        @($decisions | Where-Object Conflict).Count | Should -Be $both.Count
        $both | ForEach-Object { $_.Conflict | Should -BeTrue }
    }

    It 'syncs the contact of the flagged person account as a person account and tags it' {
        $d = DecisionFor '7'
        $d.SyncMode | Should -Be 'PersonAccount'
        $d.TagsToAdd | Should -Be @('created-from-salesforce-person-account')
    }
}

Describe 'The cleanup operations' {
    BeforeAll {
        $operations = @($decisions | ForEach-Object { $_.Operations })
        $operationFile = [System.IO.Path]::Combine($TestDrive, 'contact-tag-operations.csv')
        $null = $records | Sync-PersonAccountTags -ConfigPath $configPath -OperationPath $operationFile -StatePath ([System.IO.Path]::Combine($TestDrive, 'state'))
    }

    It 'removes only contact tags' {
        $deletes = @($operations | Where-Object Action -eq 'DeleteContactTag')
        $deletes.Count | Should -BeGreaterThan 0
        $deletes | ForEach-Object { $_.TagName | Should -BeIn $contactTags }
    }

    It 'removes no person-account tag and no other tag' {
        @($operations | Where-Object { $_.Action -eq 'DeleteContactTag' -and $contactTags -notcontains $_.TagName }) | Should -HaveCount 0
    }

    It 'deletes existing contactTag links of the right contact' {
        $links = OfType $records 'contactTag'
        foreach ($op in @($operations | Where-Object Action -eq 'DeleteContactTag')) {
            $link = $links | Where-Object id -eq $op.ContactTagId
            $link | Should -Not -BeNullOrEmpty
            $link.contact | Should -Be $op.ContactId
        }
    }

    It 'leaves no contact with both tag sets once applied' {
        $after = Get-ExportAfter $records $operations
        $links = OfType $after 'contactTag'
        foreach ($contact in $contacts) {
            $tags = TagsOf $contact.id $links
            $hasPersonAccountTag = @($tags | Where-Object { $personAccountTags -contains $_ }).Count -gt 0
            $hasContactTag = @($tags | Where-Object { $contactTags -contains $_ }).Count -gt 0
            ($hasPersonAccountTag -and $hasContactTag) | Should -BeFalse -Because "contact $($contact.id) would keep $($tags -join ', ')"
        }
    }

    It 'has nothing left to do on the next run' {
        $again = @(Get-ExportAfter $records $operations | Sync-PersonAccountTags -ConfigPath $configPath)
        @($again | Where-Object Conflict) | Should -HaveCount 0
        @($again | ForEach-Object { $_.Operations }) | Should -HaveCount 0
        foreach ($d in $again) { $d.SyncMode | Should -Be (DecisionFor $d.ContactId).SyncMode }
    }

    It 'writes the operations file a runbook reads back' {
        [System.IO.File]::Exists($operationFile) | Should -BeTrue
        $rows = @(Import-CrmRecord $operationFile -ObjectType contactTagOperation)
        $rows | Should -HaveCount $operations.Count
        @($rows | ForEach-Object contactTag | Where-Object { $_ }) | Should -Be @($operations | ForEach-Object ContactTagId | Where-Object { $_ })
    }
}

Describe 'Person accounts requested from ActiveCampaign' {
    BeforeAll {
        $changes = [System.IO.Path]::Combine($TestDrive, 'changes')
        $null = $records | Sync-PersonAccountTags -ConfigPath $configPath -ChangeFolder $changes -StatePath ([System.IO.Path]::Combine($TestDrive, 'state'))
        $inserted = @(Import-CrmRecord ([System.IO.Path]::Combine($changes, 'Account-insert.csv')) -ObjectType Account)
        # Expected from the export itself: contacts with the request tag whose email no person account has.
        $existingEmails = @($personAccounts | ForEach-Object { ([string]$_.PersonEmail).ToLowerInvariant() })
        $expected = @($contacts | Where-Object { (TagsOf $_.id (OfType $records 'contactTag')) -contains $requestTag -and $existingEmails -notcontains ([string]$_.email).ToLowerInvariant() })
    }

    It 'creates exactly the expected person accounts' {
        $expected.Count | Should -BeGreaterThan 0
        @($inserted | ForEach-Object PersonEmail) | Should -Be @($expected | ForEach-Object email)
    }

    It 'gives them the configured record type' {
        foreach ($account in $inserted) { $account.RecordTypeId | Should -Be $recordTypeId }
    }

    It 'leaves IsPersonAccount to the record type (Salesforce does not take it on insert)' {
        $inserted.Count | Should -BeGreaterThan 0
        foreach ($account in $inserted) { $account.PSObject.Properties['IsPersonAccount'] | Should -BeNullOrEmpty }
    }

    It 'requests nothing, and says so per contact, without a record type' {
        $noRecordType = [System.IO.Path]::Combine($TestDrive, 'no-record-type.json')
        [System.IO.File]::WriteAllText($noRecordType, '{ "schemaVersion": 1 }')
        $result = @($records | Sync-PersonAccountTags -ConfigPath $noRecordType -ErrorVariable problems -ErrorAction SilentlyContinue)
        $result | Should -HaveCount $contacts.Count
        @($result | Where-Object PersonAccountToCreate) | Should -HaveCount 0
        @($problems) | Should -HaveCount $expected.Count
        foreach ($p in $problems) { $p.FullyQualifiedErrorId | Should -BeLike 'PersonAccountRecordTypeRequired,*' }
    }

    It 'links each new person account to its ActiveCampaign contact' {
        @($inserted | ForEach-Object ActiveCampaign_Contact_Id__c) | Should -Be @($expected | ForEach-Object id)
    }

    It 'does not create a second person account for an email Salesforce already has' {
        foreach ($account in $inserted) { $existingEmails | Should -Not -Contain ([string]$account.PersonEmail).ToLowerInvariant() }
    }

    It 'writes nothing with -WhatIf' {
        $whatIf = [System.IO.Path]::Combine($TestDrive, 'what-if')
        $result = @($records | Sync-PersonAccountTags -ConfigPath $configPath -ChangeFolder $whatIf -OperationPath "$whatIf.csv" -StatePath ([System.IO.Path]::Combine($TestDrive, 'what-if-state')) -WhatIf)
        $result | Should -HaveCount $contacts.Count
        [System.IO.Directory]::Exists($whatIf) | Should -BeFalse
        [System.IO.File]::Exists("$whatIf.csv") | Should -BeFalse
        [System.IO.Directory]::Exists([System.IO.Path]::Combine($TestDrive, 'what-if-state')) | Should -BeFalse
    }
}

Describe 'Update policies and the outbound option' {
    It 'fills a blank Phone (UpdateIfBlank) and keeps the LastName Salesforce has' {
        $update = (DecisionFor '6').PersonAccountUpdate
        $update | Should -Not -BeNullOrEmpty
        $update['Phone'] | Should -Be '555-0106'
        $update.Has('LastName') | Should -BeFalse
    }

    It 'selects only the person accounts flagged Sync_To_AC__c' {
        $outbound = @($records | Sync-PersonAccountTags -ConfigPath $configPath -IncludeOutbound | Where-Object { $_ -is [LeadTools.Core.Tags.OutboundDecision] })
        $outbound | Should -HaveCount $personAccounts.Count
        @($outbound | Where-Object Selected | ForEach-Object AccountId) | Should -Be @($personAccounts | Where-Object { $_.Sync_To_AC__c -eq $true } | ForEach-Object Id)
    }
}

# Seed 002: "Sie werden eine bidirektionale Synchronisierung zwischen Ihren ActiveCampaign-Kontaktfeldern und den
# Salesforce-Personenkontoobjektfeldern erstellen können" with "Immer aktualisieren" as the default: the side changed
# last (ActiveCampaign udate, Salesforce LastModifiedDate) wins.
Describe 'Two-way field sync' {
    BeforeAll {
        $alwaysUpdate = [System.IO.Path]::Combine($TestDrive, 'always-update.json')
        [System.IO.File]::WriteAllText($alwaysUpdate, "{ ""schemaVersion"": 1, ""defaultRecordTypeId"": ""$recordTypeId"" }")
        $twoWay = @($records | Sync-PersonAccountTags -ConfigPath $alwaysUpdate)
        $eve = $twoWay | Where-Object ContactId -eq '6'
        $eveContact = $contacts | Where-Object id -eq '6'
        $eveAccount = $personAccounts | Where-Object Id -eq $eve.AccountId
    }

    It 'matches the contact to its person account' {
        $eve.AccountId | Should -Be '001000000000006AAA'
    }

    It 'never writes the stale ActiveCampaign LastName over the newer Salesforce one' {
        # The export itself says which side changed last.
        [DateTimeOffset]::Parse($eveContact.udate) | Should -BeLessThan ([DateTimeOffset]::Parse(($eveAccount.LastModifiedDate -replace '\+0000$', 'Z')))
        $eveContact.lastName | Should -Not -Be $eveAccount.LastName
        $eve.PersonAccountUpdate.Has('LastName') | Should -BeFalse
        $eve.ContactUpdate['lastName'] | Should -Be $eveAccount.LastName
    }

    It 'asks ActiveCampaign for the update with an API v3 request' {
        $op = @($eve.Operations | Where-Object Action -eq 'UpdateContact')
        $op | Should -HaveCount 1
        $op[0].Method | Should -Be 'PUT'
        $op[0].Path | Should -Be '/api/3/contacts/6'
        $op[0].Body | Should -Be ('{"contact":{"lastName":"' + $eveAccount.LastName + '"}}')
    }

    It 'fills the blank Salesforce Phone from ActiveCampaign and links the person account to the contact' {
        $eve.PersonAccountUpdate['Phone'] | Should -Be $eveContact.phone
        $eve.PersonAccountUpdate['ActiveCampaign_Contact_Id__c'] | Should -Be '6'
    }
}

# Seed 002, "Von Salesforce zu ActiveCampaign: created-from-salesforce-person-account": a selected person account without a
# contact gets one.
Describe 'Outbound selection acts' {
    It 'creates a contact for a selected person account that no contact has, tagged created-from-salesforce-person-account' {
        $since = [System.IO.Path]::Combine($TestDrive, 'since.json')
        [System.IO.File]::WriteAllText($since, "{ ""defaultRecordTypeId"": ""$recordTypeId"", ""outbound"": { ""mode"": ""CreatedOrUpdatedSince"", ""since"": ""2026-06-01T00:00:00Z"" } }")
        $result = @($records | Sync-PersonAccountTags -ConfigPath $since)
        $emails = @($contacts | ForEach-Object { ([string]$_.email).ToLowerInvariant() })
        $withoutContact = @($personAccounts | Where-Object { $emails -notcontains ([string]$_.PersonEmail).ToLowerInvariant() -and $_.LastModifiedDate -ge '2026-06-01' })
        $withoutContact.Count | Should -BeGreaterThan 0
        $creates = @($result | Where-Object { $null -eq $_.ContactId })
        @($creates | ForEach-Object AccountId) | Should -Be @($withoutContact | ForEach-Object Id)
        foreach ($c in $creates) {
            $c.TagsToAdd | Should -Be @('created-from-salesforce-person-account')
            @($c.Operations | ForEach-Object Action) | Should -Be @('CreateContact')
        }
    }
}
