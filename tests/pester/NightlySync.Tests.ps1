# A runbook-style nightly sync check: last night's snapshots of the marketing platform ("local") and Salesforce,
# synced with the saved state; the check says what changes go where, that the change files are there, and that
# running again finds nothing to do. Pester 5 syntax; runs under Invoke-Pester and the test project's runner.

BeforeAll {
    $manifest = if ($env:LEADTOOLS_MODULE) { $env:LEADTOOLS_MODULE } else {
        $outDir = [System.IO.Path]::GetFullPath("$PSScriptRoot/../../out/LeadTools")
        [string[]] $found = if ([System.IO.Directory]::Exists($outDir)) { [System.IO.Directory]::GetFiles($outDir, 'LeadTools.psd1', 'AllDirectories') }
        if (-not $found) { throw "LeadTools is not built: run 'dotnet build' first (looked in $outDir)." }
        [System.Array]::Sort($found, [System.StringComparer]::Ordinal)
        $found[-1]
    }
    Import-Module $manifest -Force
    $local = "$PSScriptRoot/data/sync-local.json"
    $salesforce = "$PSScriptRoot/data/sync-salesforce.json"
}

Describe 'Nightly sync' {
    BeforeAll {
        $state = "$TestDrive/state"
        $changes = "$TestDrive/changes"
        $preview = @(Sync-CrmRecord -LocalPath $local -SalesforcePath $salesforce -StatePath $state -WhatIf)
        $tonight = @(Sync-CrmRecord -LocalPath $local -SalesforcePath $salesforce -StatePath $state -ChangeFolder $changes)
        $again = @(Sync-CrmRecord -LocalPath $local -SalesforcePath $salesforce -StatePath $state)
    }

    It 'previews exactly what it then does' {
        ($preview | ForEach-Object { "$($_.Side):$($_.Id)" }) -join ',' | Should -Be (($tonight | ForEach-Object { "$($_.Side):$($_.Id)" }) -join ',')
    }

    It 'pushes the newer local edit to Salesforce' {
        $push = @($tonight | Where-Object Side -eq 'Salesforce')
        $push | Should -HaveCount 1
        $push[0].Id | Should -Be '00Q000000000001AAA'
        $push[0].FieldsAfter['Title'] | Should -Be 'CTO'
    }

    It 'pulls the newer Salesforce edit locally' {
        $pull = @($tonight | Where-Object Side -eq 'Local')
        $pull | Should -HaveCount 1
        $pull[0].Id | Should -Be 'L2'
        $pull[0].FieldsAfter['Title'] | Should -Be 'CFO'
    }

    It 'says which rule made every change' {
        foreach ($c in $tonight) { $c.Step | Should -Not -BeNullOrEmpty; $c.Reason | Should -Not -BeNullOrEmpty }
    }

    It 'writes the change files for both sides' {
        "$changes/Lead-update.csv" | Should -Exist
        "$changes/Local-changes.jsonl" | Should -Exist
    }

    It 'finds nothing to do on a second run' {
        $again | Should -HaveCount 0
    }

    It 'keeps a state that says when it last ran and what it links' {
        $s = Get-CrmSyncState -StatePath $state
        $s.Exists | Should -BeTrue
        ([datetime]::UtcNow - $s.LastSync['Leads']).TotalMinutes | Should -BeLessThan 10
        $s.LinkCount['Lead'] | Should -Be 2
        (Get-CrmSyncState -StatePath $state -Link -Id 'L1').SalesforceId | Should -Be '00Q000000000001AAA'
    }
}

Describe 'The night after a push' {
    BeforeAll {
        $state = "$TestDrive/state-push"
        $newLead = "$TestDrive/local-new.jsonl"
        [System.IO.File]::WriteAllText($newLead, '{"ObjectType":"Lead","Id":"L9","LastName":"Okafor","Company":"Okafor Labs","Email":"ada@okafor.example","ModifiedDate":"2026-01-20T00:00:00.000Z"}' + "`n" +
            '{"ObjectType":"Event","Id":"E1","LeadId":"L9","Object":"PageVisit","Name":"/pricing","EventDate":"2026-01-21T00:00:00.000Z"}' + "`n")
        $pushed = @(Sync-CrmRecord -LocalPath $newLead -SalesforcePath $salesforce -StatePath $state -WarningAction SilentlyContinue)
        # Data Loader's success file for last night's Lead-insert.csv.
        $success = "$TestDrive/success.csv"
        [System.IO.File]::WriteAllText($success, "`"ID`",`"LEADGEN_ID__C`",`"STATUS`"`r`n`"00Q000000000009AAA`",`"L9`",`"Item Created`"`r`n")
        $morning = @(Import-CrmRecord -Path $newLead | Sync-CrmRecord -SalesforcePath $salesforce -StatePath $state -InsertResultPath $success -WarningAction SilentlyContinue)
    }

    It 'pushed the new lead, but not its event (no Salesforce id yet)' {
        ($pushed | Where-Object Side -eq 'Salesforce' | ForEach-Object { "$($_.Operation) $($_.ObjectType)" }) -join ',' | Should -Be 'Insert Lead'
    }

    It 'writes the Salesforce id back to the local lead' {
        $back = @($morning | Where-Object Side -eq 'Local')
        $back | Should -HaveCount 1
        $back[0].Id | Should -Be 'L9'
        $back[0].FieldsAfter['CrmId'] | Should -Be '00Q000000000009AAA'
        $back[0].Step | Should -Match '^Ids\.1'
    }

    It 'does not push the lead again, and pushes its event now' {
        ($morning | Where-Object Side -eq 'Salesforce' | ForEach-Object { "$($_.Operation) $($_.ObjectType)" }) -join ',' | Should -Be 'Event Task'
    }
}

Describe 'An edit made after the export' {
    BeforeAll {
        $state = "$TestDrive/state-after-export"
        $null = Sync-CrmRecord -LocalPath $local -SalesforcePath $salesforce -StatePath $state
        # Last night's Salesforce export held changes up to 2026-01-10. At 2026-01-15 - after that export, before or
        # after the run: the run's clock does not matter - a user changed Ito's title. Tonight's export has it.
        $tonight = "$TestDrive/salesforce-tonight.jsonl"
        [System.IO.File]::WriteAllText($tonight,
            '{"ObjectType":"Lead","Id":"00Q000000000001AAA","LastName":"Ng","Company":"Acme","Email":"ng@acme.test","Title":"VP","LastModifiedDate":"2026-01-10T00:00:00.000Z"}' + "`n" +
            '{"ObjectType":"Lead","Id":"00Q000000000002AAA","LastName":"Ito","Company":"Bolt","Email":"ito@bolt.test","Title":"COO","LastModifiedDate":"2026-01-15T00:00:00.000Z"}' + "`n")
        $picked = @(Sync-CrmRecord -LocalPath $local -SalesforcePath $tonight -StatePath $state)
        $watermark = (Get-CrmSyncState -StatePath $state).SalesforceWatermark['Leads']
    }

    It 'pulls the edit into the local lead on the next night' {
        $picked | Should -HaveCount 1
        $picked[0].Side.ToString() | Should -Be 'Local'
        $picked[0].Id | Should -Be 'L2'
        $picked[0].FieldsAfter['Title'] | Should -Be 'COO'
    }

    It 'keeps as watermark the newest time in the export, not the clock of the run' {
        $watermark.ToString('yyyy-MM-dd') | Should -Be '2026-01-15'
    }
}

Describe 'A lead converted in Salesforce' {
    # Issue 15: "A lead converted in Salesforce creates a duplicate local contact; the local lead must be marked as a
    # contact and linked."
    BeforeAll {
        $state = "$TestDrive/state-converted"
        $localConverted = "$TestDrive/local-converted.jsonl"
        [System.IO.File]::WriteAllText($localConverted,
            '{"ObjectType":"Lead","Id":"L1","LastName":"Ng","Company":"Acme","Email":"ng@acme.test","Title":"VP","CrmId":"00Q000000000001AAA","ModifiedDate":"2025-12-01T00:00:00.000Z"}' + "`n")
        $converted = "$TestDrive/salesforce-converted.jsonl"
        [System.IO.File]::WriteAllText($converted,
            '{"ObjectType":"Lead","Id":"00Q000000000001AAA","LastName":"Ng","Company":"Acme","Email":"ng@acme.test","Title":"VP","IsConverted":true,"ConvertedContactId":"003000000000001AAA","ConvertedDate":"2026-01-10","LastModifiedDate":"2026-01-10T00:00:00.000Z"}' + "`n" +
            '{"ObjectType":"Contact","Id":"003000000000001AAA","LastName":"Ng","Email":"ng@acme.test","Title":"CIO","LastModifiedDate":"2026-01-11T00:00:00.000Z"}' + "`n")
        $first = @(Sync-CrmRecord -LocalPath $localConverted -SalesforcePath $converted -StatePath $state)
        $links = @(Get-CrmSyncState -StatePath $state -Link -ObjectType Contact)
    }

    It 'marks the local lead as the contact instead of creating a second local record' {
        $first | Should -HaveCount 1
        $first[0].ObjectType | Should -Be 'Lead'
        $first[0].Id | Should -Be 'L1'
        $first[0].Step | Should -Be 'Leads.2a lead converted in Salesforce: local lead marked as a contact'
        $first[0].FieldsAfter['IsContact'] | Should -BeTrue
        $first[0].FieldsAfter['CrmId'] | Should -Be '003000000000001AAA'
        $first[0].FieldsAfter['Title'] | Should -Be 'CIO'
    }

    It 'links the lead to the contact in the state' {
        $links | Should -HaveCount 1
        $links[0].LocalId | Should -Be 'L1'
        $links[0].SalesforceId | Should -Be '003000000000001AAA'
    }
}
