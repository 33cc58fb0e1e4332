{{/* Chart name. */}}
{{- define "agent.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Fully qualified app name: RELEASE-agent (or RELEASE when it already contains "agent"). */}}
{{- define "agent.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "agent.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "agent.selectorLabels" -}}
app.kubernetes.io/name: {{ include "agent.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "agent.labels" -}}
helm.sh/chart: {{ include "agent.chart" . }}
{{ include "agent.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: pipeline-agent
{{- end }}

{{- define "agent.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "agent.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "agent.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* The Secret holding LITELLM_API_KEY, AGENT_INGEST_TOKEN, MCP tokens. */}}
{{- define "agent.secretName" -}}
{{- default (include "agent.fullname" .) .Values.existingSecret }}
{{- end }}

{{/* True ("true") when the chart creates its own Secret with at least one value. */}}
{{- define "agent.createSecret" -}}
{{- if and (not .Values.existingSecret) (or .Values.secrets.litellmApiKey .Values.secrets.ingestToken .Values.secrets.cloudEventsToken .Values.secrets.mcpOpenshiftToken .Values.secrets.mcpGiteaToken) -}}
true
{{- end }}
{{- end }}

{{/* True when a Secret (own or existing) is referenced at all. */}}
{{- define "agent.hasSecret" -}}
{{- if or .Values.existingSecret (include "agent.createSecret" .) -}}
true
{{- end }}
{{- end }}

{{/* One optional env var from the Secret: dict "ctx" $ "env" NAME "key" KEYNAME */}}
{{- define "agent.secretEnv" -}}
- name: {{ .env }}
  valueFrom:
    secretKeyRef:
      name: {{ include "agent.secretName" .ctx }}
      key: {{ .key }}
      optional: true
{{- end }}

{{/* True ("true") when the agent runs on PostgreSQL (database.url or database.existingSecret):
     ingest and worker become Deployments of their own, with no volume. */}}
{{- define "agent.postgres" -}}
{{- if or .Values.database.url .Values.database.existingSecret -}}
true
{{- end }}
{{- end }}

{{/* The Secret holding the PostgreSQL URL. */}}
{{- define "agent.databaseSecretName" -}}
{{- default (printf "%s-database" (include "agent.fullname" .)) .Values.database.existingSecret }}
{{- end }}

{{/* AGENT_DB from the database Secret, on PostgreSQL; nothing on SQLite (the ConfigMap's path). */}}
{{- define "agent.databaseEnv" -}}
{{- if include "agent.postgres" . }}
- name: AGENT_DB
  valueFrom:
    secretKeyRef:
      name: {{ include "agent.databaseSecretName" . }}
      key: {{ .Values.database.secretKey }}
{{- end }}
{{- end }}
