;;; test.el --- end-to-end test of dazzle-lsp under Emacs + Eglot  -*- lexical-binding: t -*-

;; Run by run.sh: emacs --batch -q -l test.el, with HOME in a temporary directory.
;; Environment:
;;   DAZZLE_LSP               the server
;;   DAZZLE_E2E_PROJECT       a temporary copy of examples/clinic (edited, never saved)
;;   DAZZLE_E2E_RESULT        where the JSON result goes
;;   DAZZLE_E2E_STEP_TIMEOUT  bound of each wait, in ms
;;   DAZZLE_E2E_EMACS_RULES   how the rules reach the server: dir-locals, init or both (default
;;                            here; run.sh runs init and dir-locals separately)
;; Steps: connect, diagnostics (Flymake), rules, hover (the entity's
;; matrix table), code lenses (requested over Eglot's connection: Eglot has no lens UI), definition (xref, across files), code action (quick fix applied, its
;; diagnostic gone), shutdown.  The first failing step ends Emacs with exit code 1, its name,
;; the reason and the tail of the Eglot events buffer.

(require 'cl-lib)
(require 'subr-x)
(require 'json)
(require 'project)
(require 'flymake)
(require 'xref)
(require 'eglot)

(defvar dz-server (or (getenv "DAZZLE_LSP") (error "DAZZLE_LSP is not set")))
(defvar dz-project (file-name-as-directory
                    (or (getenv "DAZZLE_E2E_PROJECT") (error "DAZZLE_E2E_PROJECT is not set"))))
(defvar dz-result-file (or (getenv "DAZZLE_E2E_RESULT")
                           (expand-file-name "../result.json" dz-project)))
(defvar dz-step-timeout (/ (string-to-number (or (getenv "DAZZLE_E2E_STEP_TIMEOUT") "10000")) 1000.0))
(defvar dz-t0 (float-time))
(defvar dz-steps nil "Results of the steps, newest first.")
(defvar dz-current "startup")
(defvar dz-server-obj nil "The Eglot server once connected.")

;;; What a user's init file would hold -------------------------------------------------------

(define-derived-mode dazzle-mode prog-mode "Dazzle"
  "Major mode for the Dazzle DSL."
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "#+\\s-*"))
(modify-syntax-entry ?# "<" dazzle-mode-syntax-table)
(modify-syntax-entry ?\n ">" dazzle-mode-syntax-table)
(modify-syntax-entry ?_ "_" dazzle-mode-syntax-table)
(add-to-list 'auto-mode-alist '("\\.dsl\\'" . dazzle-mode))

(defun dazzle-project-find (dir)
  "A transient project rooted at the directory holding dazzle.toml above DIR."
  (when-let ((root (locate-dominating-file dir "dazzle.toml")))
    (cons 'transient root)))
(add-hook 'project-find-functions #'dazzle-project-find)

(add-to-list 'eglot-server-programs `(dazzle-mode . (,dz-server)))

;; Rule severities, two ways, selected by DAZZLE_E2E_EMACS_RULES:
;;   dir-locals  a .dir-locals.el in the project (Eglot sends it as
;;               workspace/didChangeConfiguration {"settings": {"dazzle": {"rules": ...}}})
;;   init        :initializationOptions (:rules ...) in eglot-server-programs
;;   both        (default) both, with the same rules
(defvar dz-rules '(:unscoped-entity "error" :pii-field-unmarked "off"))
(defvar dz-rules-via (or (getenv "DAZZLE_E2E_EMACS_RULES") "both"))
(unless (member dz-rules-via '("dir-locals" "init" "both"))
  (error "DAZZLE_E2E_EMACS_RULES must be dir-locals, init or both, not %s" dz-rules-via))
(when (member dz-rules-via '("init" "both"))
  (setf (alist-get 'dazzle-mode eglot-server-programs)
        (list dz-server :initializationOptions (list :rules dz-rules))))
(when (member dz-rules-via '("dir-locals" "both"))
  (with-temp-file (expand-file-name ".dir-locals.el" dz-project)
    (prin1 `((nil . ((eglot-workspace-configuration . (:dazzle (:rules ,dz-rules))))))
           (current-buffer))))

(defun dazzle-matrix ()
  "Show the RBAC matrix of the current buffer's Dazzle project (`dazzle/rbacMatrix')."
  (interactive)
  (let* ((m (jsonrpc-request (eglot--current-server-or-lose) :dazzle/rbacMatrix
                             `(:textDocument ,(eglot--TextDocumentIdentifier))))
         (roles (append (plist-get m :roles) nil))
         (cells (make-hash-table :test #'equal))
         (rows (list (append '("entity" "operation") roles))))
    (seq-doseq (c (plist-get m :cells))
      (puthash (list (plist-get c :entity) (plist-get c :operation) (plist-get c :role))
               (plist-get c :decision) cells))
    (seq-doseq (e (plist-get m :entities))
      (seq-doseq (op (plist-get m :operations))
        (push (append (list e op) (mapcar (lambda (r) (gethash (list e op r) cells "")) roles)) rows)))
    (setq rows (nreverse rows))
    (let ((widths (apply #'cl-mapcar (lambda (&rest col) (apply #'max 3 (mapcar #'string-width col))) rows))
          (pad (lambda (s w) (concat s (make-string (- w (string-width s)) ?\s)))))
      (with-current-buffer (get-buffer-create "*dazzle-matrix*")
        (special-mode)
        (let ((inhibit-read-only t))
          (erase-buffer)
          (cl-loop for row in rows for i from 0 do
                   (insert "| " (mapconcat #'identity (cl-mapcar pad row widths) " | ") " |\n")
                   (when (= i 0)
                     (insert "|-" (mapconcat (lambda (w) (make-string w ?-)) widths "-|-") "-|\n")))
          (seq-doseq (w (plist-get m :warnings))
            (insert "\n- " (plist-get w :message))))
        (goto-char (point-min))
        (display-buffer (current-buffer))))))

;;; Test machinery ---------------------------------------------------------------------------

(defun dz-ms (since) (round (* 1000 (- (float-time) since))))

(defun dz-write-result (ok &optional message)
  (let ((json-encoding-pretty-print nil)
        (result `((client . "emacs+eglot")
                  (emacs . ,emacs-version)
                  (eglot . ,(or (ignore-errors
                                  (require 'lisp-mnt)
                                  (with-temp-buffer
                                    (insert-file-contents (find-library-name "eglot"))
                                    (lm-version)))
                                ;; Emacs 29+: built in, maybe without its source
                                (let ((v (alist-get 'eglot (bound-and-true-p package--builtin-versions))))
                                  (and v (mapconcat #'number-to-string v ".")))
                                "?"))
                  (ok . ,(if ok t :json-false))
                  (steps . ,(vconcat (reverse dz-steps)))
                  (total_ms . ,(dz-ms dz-t0)))))
    (unless ok
      (setq result (append result `((failed_step . ,dz-current) (error . ,message)))))
    (with-temp-file dz-result-file (insert (json-encode result)))))

(defun dz-events-buffer ()
  "Eglot's events buffer (the JSON-RPC log) of the server, even of a dead one."
  (or (when-let ((server (or dz-server-obj (ignore-errors (eglot-current-server)))))
        (ignore-errors (jsonrpc-events-buffer server)))
      (seq-find (lambda (b) (string-match-p "EGLOT.*events" (buffer-name b))) (buffer-list))))

(defun dz-events-tail (n)
  (progn
    (if-let ((buf (dz-events-buffer)))
        (with-current-buffer buf
          (let ((text (buffer-string)))
            (mapconcat #'identity (last (split-string text "\n") n) "\n")))
      "(no Eglot events buffer)")))

(defun dz-fail (message)
  (dz-write-result nil message)
  ;; The whole JSON-RPC traffic, for run.sh to keep next to the result.
  (when-let ((buf (dz-events-buffer)))
    (with-current-buffer buf
      (write-region nil nil (expand-file-name "eglot-events.log" (file-name-directory dz-result-file)))))
  (princ (format "emacs e2e: FAILED at step \"%s\": %s\n--- tail of the Eglot events buffer ---\n%s\n"
                 dz-current message (dz-events-tail 30))
         #'external-debugging-output)
  (kill-emacs 1))

(defun dz-wait (what pred &optional timeout)
  "Spin the event loop until PRED returns non-nil (returned) or fail after TIMEOUT s.
Batch Emacs is never idle: Flymake is started and Eglot's pending changes sent by hand."
  (let ((deadline (+ (float-time) (or timeout dz-step-timeout)))
        value)
    (while (and (not (setq value (ignore-errors (funcall pred))))
                (< (float-time) deadline))
      (accept-process-output nil 0.05)
      (when (and (bound-and-true-p flymake-mode) (bound-and-true-p eglot--managed-mode))
        (flymake-start)))
    (or value
        (signal 'dz-assert (list (format "timed out after %.1f s waiting for %s"
                                         (or timeout dz-step-timeout) what))))))

(define-error 'dz-assert "assertion failed")

(defun dz-check (cond fmt &rest args)
  (unless cond (signal 'dz-assert (list (apply #'format fmt args))))
  cond)

(defmacro dz-step (name &rest body)
  (declare (indent 1))
  `(let ((t1 (float-time)) detail)
     (setq dz-current ,name)
     (condition-case err
         (setq detail (progn ,@body))
       (dz-assert (dz-fail (cadr err)))
       (error (dz-fail (error-message-string err))))
     (push `((name . ,,name) (ms . ,(dz-ms t1)) (ok . t) ,@(when detail `((detail . ,detail))))
           dz-steps)))

(defvar dz-soft-failures nil "(STEP . MESSAGE) of the failed soft steps, newest first.")

(defmacro dz-soft-step (name &rest body)
  "Like `dz-step', but a failure is recorded and the run goes on (exit 1 at the end)."
  (declare (indent 1))
  `(let ((t1 (float-time)) detail)
     (setq dz-current ,name)
     (condition-case err
         (progn
           (setq detail (progn ,@body))
           (push `((name . ,,name) (ms . ,(dz-ms t1)) (ok . t) ,@(when detail `((detail . ,detail))))
                 dz-steps))
       (error
        (let ((msg (if (eq (car err) 'dz-assert) (cadr err) (error-message-string err))))
          (princ (format "emacs e2e: step \"%s\" FAILED (going on): %s\n" ,name msg) #'external-debugging-output)
          (push (cons ,name msg) dz-soft-failures)
          (push `((name . ,,name) (ms . ,(dz-ms t1)) (ok . :json-false) (error . ,msg)) dz-steps))))))

(defun dz-diags (&optional code)
  "Eglot's Flymake diagnostics of the current buffer, those of CODE if given."
  (cl-loop for d in (flymake-diagnostics)
           for lsp = (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))
           when (and lsp (equal (plist-get lsp :source) "dazzle-lsp")
                     (or (null code) (equal (plist-get lsp :code) code)))
           collect d))

(defun dz-goto (line col)
  "Moves to 1-based LINE and 0-based COL."
  (goto-char (point-min))
  (forward-line (1- line))
  (move-to-column col))

(defun dz-line (line)
  (save-excursion (dz-goto line 0)
                  (buffer-substring-no-properties (line-beginning-position) (line-end-position))))

;;; Watchdog: a hung run ends with a result and exit 3 (run.sh also has a hard timeout).
(run-with-timer (* 8 dz-step-timeout) nil
                (lambda () (dz-write-result nil "watchdog") 
                  (princ (format "emacs e2e: watchdog fired during step %s\n" dz-current)
                         #'external-debugging-output)
                  (kill-emacs 3)))

;;; The scenario -----------------------------------------------------------------------------

(setq eglot-sync-connect dz-step-timeout
      eglot-connect-timeout dz-step-timeout
      eglot-autoreconnect nil
      eglot-events-buffer-size 2000000
      flymake-no-changes-timeout nil)
;; Eglot 1.17 may ask before applying a server's edit; batch Emacs cannot answer.
(setq eglot-confirm-server-edits nil)

(defvar dz-records (expand-file-name "dsl/records.dsl" dz-project))
(defvar dz-ui (expand-file-name "dsl/ui.dsl" dz-project))
(defvar dz-records-buf nil)

(dz-step "connect"
  (setq dz-records-buf (find-file-noselect dz-records))
  (set-buffer dz-records-buf)
  (dz-check (eq major-mode 'dazzle-mode) "records.dsl opened in %s, expected dazzle-mode" major-mode)
  (dz-check (equal (file-name-as-directory (expand-file-name (project-root (project-current))))
                   (expand-file-name dz-project))
            "project root %s, expected %s" (project-current) dz-project)
  (apply #'eglot (eglot--guess-contact))
  (setq dz-server-obj (dz-wait "Eglot to connect and manage records.dsl"
                               (lambda () (and eglot--managed-mode (eglot-current-server)))))
  (dz-check (flymake-mode) "flymake-mode is not on")
  `((server . ,(plist-get (eglot--server-info dz-server-obj) :name))
    (version . ,(plist-get (eglot--server-info dz-server-obj) :version))
    (language_id . ,(cond ((fboundp 'eglot--language-id) (eglot--language-id dz-server-obj)) ; Eglot 1.9
                          ((fboundp 'eglot--language-ids) (car (eglot--language-ids dz-server-obj)))))))

(dz-step "diagnostics"
  (let ((audit (car (dz-wait "a missing-audit diagnostic in Flymake"
                             (lambda () (dz-diags "missing-audit"))))))
    (dz-check (= 93 (line-number-at-pos (flymake-diagnostic-beg audit)))
              "missing-audit on line %d, expected 93" (line-number-at-pos (flymake-diagnostic-beg audit)))
    (dz-check (eq (flymake-diagnostic-type audit) 'eglot-warning)
              "missing-audit has Flymake type %s, expected eglot-warning" (flymake-diagnostic-type audit))
    (dz-check (string-match-p "Visit" (flymake-diagnostic-text audit))
              "unexpected message: %s" (flymake-diagnostic-text audit))
    `((count . ,(length (dz-diags)))
      (codes . ,(vconcat (mapcar (lambda (d)
                                   (format "%s@%d:%s"
                                           (plist-get (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d))) :code)
                                           (line-number-at-pos (flymake-diagnostic-beg d))
                                           (flymake-diagnostic-type d)))
                                 (dz-diags)))))))

(dz-soft-step "rules"
  ;; initializationOptions and/or .dir-locals.el (eglot-workspace-configuration).
  ;; The settings may arrive after didOpen: wait (bounded) for a publish that applies them.
  (let ((applied (lambda ()
                   (let ((unscoped (car (dz-diags "unscoped-entity"))))
                     (and unscoped (eq (flymake-diagnostic-type unscoped) 'eglot-error)
                          (null (dz-diags "pii-field-unmarked")))))))
    (condition-case nil
        (dz-wait "the rules to apply" applied)
      (dz-assert
       (let ((unscoped (car (dz-diags "unscoped-entity"))))
         (dz-check unscoped "no unscoped-entity diagnostic")
         (dz-check (eq (flymake-diagnostic-type unscoped) 'eglot-error)
                   "unscoped-entity has type %s after %.0f s, expected eglot-error (from the rules)"
                   (flymake-diagnostic-type unscoped) dz-step-timeout)
         (dz-check nil "pii-field-unmarked is still reported after %.0f s although the rules turn it off"
                   dz-step-timeout))))
    `((via . ,dz-rules-via))))

(dz-step "hover"
  ;; `entity Visit "Visit":` is line 58.
  (dz-goto 58 9)
  (dz-check (string-prefix-p "entity Visit" (dz-line 58)) "unexpected line 58: %s" (dz-line 58))
  (let* ((hover (jsonrpc-request dz-server-obj :textDocument/hover (eglot--TextDocumentPositionParams)
                                 :timeout dz-step-timeout))
         (contents (plist-get hover :contents))
         (raw (if (stringp contents) contents (or (plist-get contents :value) (format "%S" contents))))
         ;; What Eglot shows in ElDoc.
         (shown (eglot--hover-info contents (plist-get hover :range))))
    (dz-check (string-match-p "Visit" raw) "hover does not name the entity: %s" raw)
    (dolist (persona '("clinician" "receptionist"))
      (dz-check (string-match-p (regexp-quote persona) raw) "hover has no row for persona %s: %s" persona raw))
    (dz-check (string-match-p "^|.*|.*|" raw) "hover has no Markdown table row: %s" raw)
    (dz-check (string-match-p "^|[ :]*---" raw) "hover has no Markdown table separator: %s" raw)
    (dz-check (string-match-p "clinician" shown) "Eglot's rendered hover lacks the table: %s" shown)
    `((chars . ,(length raw)) (kind . ,(or (plist-get contents :kind) "string")))))

;; Eglot has no code-lens UI: the lenses are requested over Eglot's own connection, for the
;; buffer as the user edited it (unsaved), before and after an edit.
(defun dz-lens-titles ()
  (eglot--signal-textDocument/didChange)
  (mapcar (lambda (l) (cons (plist-get (plist-get (plist-get l :range) :start) :line)
                            (plist-get (plist-get l :command) :title)))
          (append (jsonrpc-request dz-server-obj :textDocument/codeLens
                                   `(:textDocument ,(eglot--TextDocumentIdentifier))
                                   :timeout dz-step-timeout)
                  nil)))

(dz-step "codelens"
  (set-buffer dz-records-buf)
  (let* ((titles (dz-lens-titles))
         (visit (cdr (assoc 57 titles))))
    (dz-check (and visit (string-match-p "clinician" visit) (string-match-p "receptionist" visit))
              "no matrix-row lens on entity Visit (line 58): %S" titles)
    (dz-check (not (cl-find-if (lambda (x) (string-match-p "since HEAD" (cdr x))) titles))
              "a change lens before any edit: %S" titles)
    ;; Receptionists may now update visits: the lens shows the change since HEAD.
    (save-excursion
      (goto-char (point-min))
      (dz-check (re-search-forward "^entity Visit" nil t) "no entity Visit")
      (dz-check (re-search-forward "^    update: role(clinician)$" nil t) "no update rule in Visit")
      (insert " or role(receptionist)"))
    (let ((change (dz-wait "the \"+receptionist update since HEAD\" lens"
                           (lambda () (cdr (cl-find-if (lambda (x) (and (= (car x) 57)
                                                                       (equal (cdr x) "+receptionist update since HEAD")))
                                                       (dz-lens-titles)))))))
      ;; Undone again: the later steps compare with the files on disk.
      (save-excursion
        (goto-char (point-min))
        (re-search-forward "^entity Visit")
        (re-search-forward "^    update: role(clinician)\\( or role(receptionist)\\)$")
        (replace-match "" t t nil 1))
      (dz-wait "the change lens to go after the undo"
               (lambda () (not (cl-find-if (lambda (x) (string-match-p "since HEAD" (cdr x))) (dz-lens-titles)))))
      `((row . ,visit) (change . ,change)))))

(dz-step "format"
  ;; Practice's `list: role(admin)` (line 11), written badly, then `eglot-format-buffer'.
  (set-buffer dz-records-buf)
  (let ((good (dz-line 11)))
    (dz-check (equal good "    list: role(admin)") "unexpected line 11: %s" good)
    (save-excursion
      (goto-char (point-min))
      (forward-line 10)
      (delete-region (line-beginning-position) (line-end-position))
      (insert "    list:role(admin)   "))
    (eglot--signal-textDocument/didChange)
    (eglot-format-buffer)
    (dz-check (equal (dz-line 11) good) "after eglot-format-buffer line 11 is %S" (dz-line 11))
    (dz-check (equal (buffer-string) (with-temp-buffer (insert-file-contents dz-records) (buffer-string)))
              "the formatted buffer differs from the file on disk")
    `((line . ,(dz-line 11)))))

(dz-step "definition"
  ;; Across files: `uses entity Patient` in ui.dsl -> `entity Patient` in records.dsl (line 23).
  (let ((ui-buf (find-file-noselect dz-ui)))
    (set-buffer ui-buf)
    (dz-wait "Eglot to manage ui.dsl" (lambda () eglot--managed-mode))
    (dz-goto 6 16)
    (dz-check (equal (dz-line 6) "  uses entity Patient") "unexpected ui.dsl line 6: %s" (dz-line 6))
    (let* ((xrefs (xref-backend-definitions 'eglot (xref-backend-identifier-at-point 'eglot)))
           (loc (and xrefs (xref-item-location (car xrefs)))))
      (dz-check loc "no definition found")
      (let ((file (xref-file-location-file loc))
            (line (xref-file-location-line loc)))
        (dz-check (equal (file-truename file) (file-truename dz-records))
                  "definition in %s, expected records.dsl" file)
        (dz-check (= line 23) "definition on line %d, expected 23" line)
        (set-buffer dz-records-buf)
        `((file . ,(file-name-nondirectory file)) (line . ,line))))))

(dz-step "code_action"
  (set-buffer dz-records-buf)
  (let* ((audit (car (dz-diags "missing-audit")))
         (_ (dz-check audit "missing-audit gone before the fix"))
         (actions (eglot-code-actions (flymake-diagnostic-beg audit) (flymake-diagnostic-end audit) "quickfix"))
         (titles (mapcar (lambda (a) (plist-get a :title)) actions))
         (fix (cl-find-if (lambda (a) (string-match-p "Audit every operation" (plist-get a :title))) actions)))
    (dz-check fix "no \"Audit every operation\" quick fix among %S" titles)
    (if (fboundp 'eglot-execute)
        (eglot-execute dz-server-obj fix)                  ; Eglot 1.14+
      (eglot--apply-workspace-edit (plist-get fix :edit))) ; Eglot 1.9
    (dz-check (equal (dz-line 93) "  audit: all") "line 93 after the fix: %s" (dz-line 93))
    (eglot--signal-textDocument/didChange)
    (dz-wait "the missing-audit diagnostic to go away"
             (lambda () (and (null (dz-diags "missing-audit")) (dz-diags "unscoped-entity"))))
    `((titles . ,(vconcat titles)))))

(dz-step "matrix"
  (set-buffer dz-records-buf)
  (dazzle-matrix)
  (let* ((lines (with-current-buffer "*dazzle-matrix*"
                  (split-string (buffer-string) "\n")))
         (table (seq-filter (lambda (l) (string-prefix-p "|" l)) lines))
         (header (car table))
         (cli (with-temp-buffer
                (dz-check (eq 0 (call-process dz-server nil '(t nil) nil "matrix" dz-project))
                          "dazzle-lsp matrix failed")
                (split-string (buffer-string) "\n" t)))
         (norm (lambda (l) (replace-regexp-in-string "[ ]+" "" l)))
         (got (mapcar norm (seq-remove (lambda (l) (string-prefix-p "|-" l)) table)))
         (want (mapcar norm (seq-filter (lambda (l) (and (string-prefix-p "|" l)
                                                         (not (string-prefix-p "| ---" l))))
                                        cli))))
    (dolist (persona '("admin" "clinician" "receptionist" "patient"))
      (dz-check (string-match-p persona header) "matrix header lacks %s: %s" persona header))
    (dz-check (equal got want) "the *dazzle-matrix* table differs from `dazzle-lsp matrix`:\n%s\nvs\n%s"
              (string-join got "\n") (string-join want "\n"))
    (dz-check (= 1 (length (delete-dups (mapcar #'length table)))) "the matrix columns are not aligned")
    `((rows . ,(1- (length got))))))

(dz-step "shutdown"
  ;; shutdown + exit by hand, then the server must end by itself with status 0 (eglot-shutdown
  ;; would delete the process at once, which in batch shows up as signal 9).
  (let ((proc (jsonrpc--process dz-server-obj)))
    (setf (eglot--shutdown-requested dz-server-obj) t)
    (jsonrpc-request dz-server-obj :shutdown nil :timeout dz-step-timeout)
    (jsonrpc-notify dz-server-obj :exit nil)
    (dz-wait "the server to exit by itself after shutdown/exit" (lambda () (not (process-live-p proc))) 5)
    (dz-check (and (eq (process-status proc) 'exit) (= 0 (process-exit-status proc)))
              "the server ended with %s %s, expected exit 0" (process-status proc) (process-exit-status proc))
    (accept-process-output nil 0.1)     ; let the process sentinel run (Eglot's cleanup)
    `((status . ,(symbol-name (process-status proc))) (exit_code . ,(process-exit-status proc)))))

(setq dz-current "exit")
(when dz-soft-failures
  (let ((first (car (last dz-soft-failures))))
    (setq dz-current (car first))
    (dz-fail (cdr first))))
(dz-write-result t)
(princ (format "emacs e2e: all %d steps passed in %d ms (GNU Emacs %s)\n"
               (length dz-steps) (dz-ms dz-t0) emacs-version))
(kill-emacs 0)

;;; test.el ends here
