{{/* The ingest container: the same in the single SQLite pod and in the ingest Deployment. */}}
{{- define "agent.ingestContainer" -}}
# The webhook: validates, dedupes and queues reports; never calls the LLM or MCP.
- name: ingest
  image: {{ include "agent.image" . | quote }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  command: ["pipeline-agent"]
  args: ["ingest"]
  ports:
    - name: http
      containerPort: {{ .Values.ingest.port }}
      protocol: TCP
  envFrom:
    - configMapRef:
        name: {{ include "agent.fullname" . }}
  {{- if or (include "agent.hasSecret" .) .Values.extraEnv (include "agent.postgres" .) }}
  env:
    {{- include "agent.databaseEnv" . | nindent 4 }}
    {{- if include "agent.hasSecret" . }}
    {{- include "agent.secretEnv" (dict "ctx" $ "env" "AGENT_INGEST_TOKEN" "key" .Values.secretKeys.ingestToken) | nindent 4 }}
    {{- include "agent.secretEnv" (dict "ctx" $ "env" "AGENT_CLOUDEVENTS_TOKEN" "key" .Values.secretKeys.cloudEventsToken) | nindent 4 }}
    {{- end }}
    {{- with .Values.extraEnv }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- end }}
  {{- with .Values.ingest.startupProbe }}
  startupProbe:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.ingest.livenessProbe }}
  livenessProbe:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.ingest.readinessProbe }}
  readinessProbe:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  resources:
    {{- toYaml .Values.ingest.resources | nindent 4 }}
  securityContext:
    {{- toYaml .Values.securityContext | nindent 4 }}
  volumeMounts:
    {{- if not (include "agent.postgres" .) }}
    - name: data
      mountPath: /data
    {{- end }}
    - name: tmp
      mountPath: /tmp
{{- end }}

{{/* The worker container: the same in the single SQLite pod and in the worker Deployment. */}}
{{- define "agent.workerContainer" -}}
# The worker: leases jobs from the same database, gathers evidence through the MCP
# servers, runs the model, files or updates the issue. Its own port serves /healthz,
# /readyz and /metrics (AGENT_WORKER_PORT).
- name: worker
  image: {{ include "agent.image" . | quote }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  command: ["pipeline-agent"]
  args: ["worker"]
  ports:
    - name: worker-http
      containerPort: {{ .Values.worker.port }}
      protocol: TCP
  envFrom:
    - configMapRef:
        name: {{ include "agent.fullname" . }}
  env:
    # The lease owner: the pod name, stable across restarts of this container, so a restarted
    # worker takes back its own leases at once instead of waiting out the lease TTL. Two live
    # workers must never share it (each pod has its own name).
    - name: AGENT_WORKER_ID
      valueFrom:
        fieldRef:
          fieldPath: metadata.name
    {{- include "agent.databaseEnv" . | nindent 4 }}
    {{- if include "agent.hasSecret" . }}
    {{- include "agent.secretEnv" (dict "ctx" $ "env" "LITELLM_API_KEY" "key" .Values.secretKeys.litellmApiKey) | nindent 4 }}
    {{- include "agent.secretEnv" (dict "ctx" $ "env" "MCP_OPENSHIFT_TOKEN" "key" .Values.secretKeys.mcpOpenshiftToken) | nindent 4 }}
    {{- include "agent.secretEnv" (dict "ctx" $ "env" "MCP_GITEA_TOKEN" "key" .Values.secretKeys.mcpGiteaToken) | nindent 4 }}
    {{- end }}
    {{- with .Values.extraEnv }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- with .Values.worker.livenessProbe }}
  livenessProbe:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with .Values.worker.readinessProbe }}
  readinessProbe:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  resources:
    {{- toYaml .Values.worker.resources | nindent 4 }}
  securityContext:
    {{- toYaml .Values.securityContext | nindent 4 }}
  volumeMounts:
    {{- if not (include "agent.postgres" .) }}
    - name: data
      mountPath: /data
    {{- end }}
    - name: tmp
      mountPath: /tmp
{{- end }}
